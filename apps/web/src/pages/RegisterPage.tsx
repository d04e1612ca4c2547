import { Trans, useLingui } from "@lingui/react/macro";
import { MIN_PASSWORD_LENGTH } from "@parley/validators";
import type { FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { AuthCard } from "../components/AuthCard.tsx";
import { ErrorForm } from "../components/ErrorForm.tsx";
import { Button } from "../components/ui/Button.tsx";
import { TextField } from "../components/ui/TextField.tsx";
import {
  formText,
  REGISTER_FIELDS,
  type RegisterField,
  validateRegistration,
} from "../lib/auth-validation.ts";
import { hasErrors, toFormErrors } from "../lib/errors.ts";
import { safeNextPath, withNext } from "../lib/safe-redirect.ts";
import { trpc } from "../lib/trpc.ts";
import { useFormErrors } from "../lib/use-form-errors.ts";

export function RegisterPage() {
  const { t, i18n } = useLingui();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const utils = trpc.useUtils();
  const { formRef, errors, report, clear, clearField } = useFormErrors<RegisterField>();
  // An invitation link (/register?invite=…) carries the token that lets the account be created.
  const invitationToken = params.get("invite") || undefined;
  const policy = trpc.auth.registrationMode.useQuery(undefined, { staleTime: 60_000 });

  const mutation = trpc.auth.register.useMutation({
    onSuccess: ({ user }) => {
      // Registration signs the user in; seeding the cache saves the home page a round trip.
      utils.auth.session.setData(undefined, user);
      navigate(safeNextPath(params.get("next")), { replace: true });
    },
    onError: (error) => report(toFormErrors(error, REGISTER_FIELDS)),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values = {
      email: formText(form, "email"),
      username: formText(form, "username"),
      displayName: formText(form, "displayName"),
      password: formText(form, "password", false),
    };
    const problems = validateRegistration(values);
    if (hasErrors(problems)) return report(problems);
    clear();
    // An empty display name is left out so the server falls back to the username.
    mutation.mutate({ ...values, displayName: values.displayName || undefined, invitationToken });
  };

  const mode = policy.data?.mode;
  if (mode === "closed" || (mode === "invite" && !invitationToken)) {
    return <RegistrationUnavailable closed={mode === "closed"} next={params.get("next")} />;
  }
  const domains = policy.data?.emailDomains ?? [];
  const allowedDomains = new Intl.ListFormat(i18n.locale, { type: "disjunction" }).format(domains);

  return (
    <AuthCard
      title={t`Create your account`}
      description={
        invitationToken
          ? t`You have been invited to Parley. It takes less than a minute.`
          : t`It takes less than a minute. You can change these details later.`
      }
      footer={
        <Trans>
          Already have an account?{" "}
          <Link
            to={withNext("/login", params.get("next"))}
            className="rounded font-semibold text-brand-text underline-offset-2 hover:underline"
          >
            Sign in
          </Link>
        </Trans>
      }
    >
      <ErrorForm form={{ formRef, errors, clearField }} onSubmit={onSubmit}>
        <TextField
          label={t`Email`}
          name="email"
          type="email"
          autoComplete="email"
          autoCapitalize="none"
          spellCheck={false}
          required
          hint={domains.length > 0 ? t`An address at ${allowedDomains}.` : undefined}
          error={errors.fields.email}
        />
        <TextField
          label={t`Username`}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          hint={t`Letters, digits, '.', '_' and '-'.`}
          error={errors.fields.username}
        />
        <TextField
          label={t`Display name`}
          name="displayName"
          autoComplete="name"
          optional
          hint={t`How others see you. Defaults to your username.`}
          error={errors.fields.displayName}
        />
        <TextField
          label={t`Password`}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          hint={t`At least ${MIN_PASSWORD_LENGTH} characters. Avoid common passwords and your username.`}
          error={errors.fields.password}
        />
        <Button type="submit" className="h-11 w-full" loading={mutation.isPending}>
          <Trans>Create account</Trans>
        </Button>
      </ErrorForm>
    </AuthCard>
  );
}

/** Registration is closed, or by invitation and this visit has none: say so, and how to get in. */
function RegistrationUnavailable({ closed, next }: { closed: boolean; next: string | null }) {
  const { t } = useLingui();
  return (
    <AuthCard
      title={closed ? t`Registration is closed` : t`Parley is by invitation`}
      description={
        closed
          ? t`New accounts are created by an administrator. Ask one to create yours.`
          : t`Ask an administrator for an invitation link, then open it to create your account.`
      }
      footer={
        <Trans>
          Already have an account?{" "}
          <Link
            to={withNext("/login", next)}
            className="rounded font-semibold text-brand-text underline-offset-2 hover:underline"
          >
            Sign in
          </Link>
        </Trans>
      }
    >
      <p className="text-sm text-fg-muted">
        <Trans>An invitation link opens this page with the invitation filled in.</Trans>
      </p>
    </AuthCard>
  );
}
