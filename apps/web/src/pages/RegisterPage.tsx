import type { FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { AuthCard } from "../components/AuthCard.tsx";
import { Button } from "../components/Button.tsx";
import { ErrorForm } from "../components/ErrorForm.tsx";
import { TextField } from "../components/TextField.tsx";
import {
  formText,
  MIN_PASSWORD_LENGTH,
  REGISTER_FIELDS,
  type RegisterField,
  validateRegistration,
} from "../lib/auth-validation.ts";
import { hasErrors, toFormErrors } from "../lib/errors.ts";
import { safeNextPath, withNext } from "../lib/safe-redirect.ts";
import { trpc } from "../lib/trpc.ts";
import { useFormErrors } from "../lib/use-form-errors.ts";

export function RegisterPage() {
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
      utils.auth.me.setData(undefined, user);
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

  return (
    <AuthCard
      title="Create your account"
      description={
        invitationToken
          ? "You have been invited to Parley. It takes less than a minute."
          : "It takes less than a minute. You can change these details later."
      }
      footer={
        <>
          Already have an account?{" "}
          <Link
            to={withNext("/login", params.get("next"))}
            className="rounded font-semibold text-brand-text underline-offset-2 hover:underline"
          >
            Sign in
          </Link>
        </>
      }
    >
      <ErrorForm form={{ formRef, errors, clearField }} onSubmit={onSubmit}>
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          autoCapitalize="none"
          spellCheck={false}
          required
          hint={domains.length > 0 ? `An address at ${domains.join(" or ")}.` : undefined}
          error={errors.fields.email}
        />
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          hint="Letters, digits, '.', '_' and '-'."
          error={errors.fields.username}
        />
        <TextField
          label="Display name"
          name="displayName"
          autoComplete="name"
          optional
          hint="How others see you. Defaults to your username."
          error={errors.fields.displayName}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. Avoid common passwords and your username.`}
          error={errors.fields.password}
        />
        <Button type="submit" className="h-11 w-full" loading={mutation.isPending}>
          Create account
        </Button>
      </ErrorForm>
    </AuthCard>
  );
}

/** Registration is closed, or by invitation and this visit has none: say so, and how to get in. */
function RegistrationUnavailable({ closed, next }: { closed: boolean; next: string | null }) {
  return (
    <AuthCard
      title={closed ? "Registration is closed" : "Parley is by invitation"}
      description={
        closed
          ? "New accounts are created by an administrator. Ask one to create yours."
          : "Ask an administrator for an invitation link, then open it to create your account."
      }
      footer={
        <>
          Already have an account?{" "}
          <Link
            to={withNext("/login", next)}
            className="rounded font-semibold text-brand-text underline-offset-2 hover:underline"
          >
            Sign in
          </Link>
        </>
      }
    >
      <p className="text-sm text-fg-muted">
        An invitation link opens this page with the invitation filled in.
      </p>
    </AuthCard>
  );
}
