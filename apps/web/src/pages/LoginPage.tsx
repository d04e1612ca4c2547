import { Trans, useLingui } from "@lingui/react/macro";
import type { FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { AuthCard } from "../components/AuthCard.tsx";
import { ErrorForm } from "../components/ErrorForm.tsx";
import { ForgotPasswordLink } from "../components/ForgotPasswordLink.tsx";
import { SsoSignIn } from "../components/SsoSignIn.tsx";
import { Button } from "../components/ui/Button.tsx";
import { TextField } from "../components/ui/TextField.tsx";
import { formText, LOGIN_FIELDS, type LoginField, validateLogin } from "../lib/auth-validation.ts";
import { hasErrors, toFormErrors } from "../lib/errors.ts";
import { safeNextPath, withNext } from "../lib/safe-redirect.ts";
import { trpc } from "../lib/trpc.ts";
import { useFormErrors } from "../lib/use-form-errors.ts";

export function LoginPage() {
  const { t } = useLingui();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const utils = trpc.useUtils();
  const { formRef, errors, report, clear, clearField } = useFormErrors<LoginField>();

  const mutation = trpc.auth.login.useMutation({
    onSuccess: ({ user }) => {
      // Seeding the cache lets the next page render at once instead of asking auth.session again.
      utils.auth.session.setData(undefined, user);
      navigate(safeNextPath(params.get("next")), { replace: true });
    },
    onError: (error) => report(toFormErrors(error, LOGIN_FIELDS)),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values = { login: formText(form, "login"), password: formText(form, "password", false) };
    const problems = validateLogin(values);
    if (hasErrors(problems)) return report(problems);
    clear();
    mutation.mutate(values);
  };

  return (
    <AuthCard
      title={t`Sign in`}
      description={t`Welcome back. Sign in to continue to Parley.`}
      footer={
        <Trans>
          New to Parley?{" "}
          <Link
            to={withNext("/register", params.get("next"))}
            className="rounded font-semibold text-brand-text underline-offset-2 hover:underline"
          >
            Create an account
          </Link>
        </Trans>
      }
    >
      <ErrorForm form={{ formRef, errors, clearField }} onSubmit={onSubmit}>
        <TextField
          label={t`Email or username`}
          name="login"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          error={errors.fields.login}
        />
        <TextField
          label={t`Password`}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={errors.fields.password}
        />
        <ForgotPasswordLink />
        <Button type="submit" className="h-11 w-full" loading={mutation.isPending}>
          <Trans>Sign in</Trans>
        </Button>
      </ErrorForm>
      <SsoSignIn />
    </AuthCard>
  );
}
