import { Trans, useLingui } from "@lingui/react/macro";
import { MIN_PASSWORD_LENGTH } from "@parley/validators";
import { type FormEvent, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { AuthCard } from "../components/AuthCard.tsx";
import { ErrorForm } from "../components/ErrorForm.tsx";
import { Button } from "../components/ui/Button.tsx";
import { TextField } from "../components/ui/TextField.tsx";
import { formText } from "../lib/auth-validation.ts";
import { toFormErrors } from "../lib/errors.ts";
import { trpc } from "../lib/trpc.ts";
import { useFormErrors } from "../lib/use-form-errors.ts";

const SIGN_IN_LINK = (
  <Link to="/login" className="rounded font-semibold text-brand-text underline-offset-2 hover:underline">
    <Trans>Back to sign in</Trans>
  </Link>
);

/**
 * `/reset-password?token=…` sets a new password through a one-time link (from an admin or a mail);
 * `/reset-password` alone asks for such a link by mail, when the server can send mail.
 */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get("token");
  return token ? <NewPasswordForm token={token} /> : <RequestLinkForm />;
}

function NewPasswordForm({ token }: { token: string }) {
  const { t } = useLingui();
  const { formRef, errors, report, clear, clearField } = useFormErrors<"newPassword">();
  const mutation = trpc.auth.resetPassword.useMutation({
    onError: (error) => report(toFormErrors(error, ["newPassword"])),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const newPassword = formText(new FormData(event.currentTarget), "newPassword", false);
    if (newPassword.length < MIN_PASSWORD_LENGTH) {
      return report({
        fields: { newPassword: t`Password must be at least ${MIN_PASSWORD_LENGTH} characters long.` },
        message: null,
      });
    }
    clear();
    mutation.mutate({ token, newPassword });
  };

  if (mutation.isSuccess) {
    return (
      <AuthCard
        title={t`Password changed`}
        description={t`Your new password is set, and every device that was signed in has been signed out.`}
        footer={SIGN_IN_LINK}
      >
        <Link
          to="/login"
          className="inline-flex h-11 w-full items-center justify-center rounded-lg bg-brand text-sm font-semibold text-on-brand hover:bg-brand-hover"
        >
          <Trans>Sign in</Trans>
        </Link>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t`Choose a new password`} description={t`This link works once.`} footer={SIGN_IN_LINK}>
      <ErrorForm form={{ formRef, errors, clearField }} onSubmit={onSubmit}>
        <TextField
          label={t`New password`}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          hint={t`At least ${MIN_PASSWORD_LENGTH} characters. Avoid common passwords and your username.`}
          error={errors.fields.newPassword}
        />
        <Button type="submit" className="h-11 w-full" loading={mutation.isPending}>
          <Trans>Set new password</Trans>
        </Button>
      </ErrorForm>
    </AuthCard>
  );
}

function RequestLinkForm() {
  const { t } = useLingui();
  const policy = trpc.auth.registrationMode.useQuery(undefined, { staleTime: 60_000 });
  const { formRef, errors, report, clear, clearField } = useFormErrors<"email">();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const mutation = trpc.auth.requestPasswordReset.useMutation({
    onSuccess: (_data, input) => setSentTo(input.email),
    onError: (error) => report(toFormErrors(error, ["email"])),
  });

  if (policy.data && !policy.data.passwordResetByEmail) {
    return (
      <AuthCard
        title={t`Forgot your password?`}
        description={t`Ask an administrator for a password-reset link: this server does not send mail.`}
        footer={SIGN_IN_LINK}
      >
        <p className="text-sm text-fg-muted">
          <Trans>The link lets you choose a new password once.</Trans>
        </p>
      </AuthCard>
    );
  }
  if (sentTo) {
    return (
      <AuthCard
        title={t`Check your mail`}
        description={t`If an account exists for ${sentTo}, we have sent it a link to choose a new password. The link works for an hour.`}
        footer={SIGN_IN_LINK}
      >
        <p className="text-sm text-fg-muted">
          <Trans>No mail after a few minutes? Check the spam folder, or ask again.</Trans>
        </p>
      </AuthCard>
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = formText(new FormData(event.currentTarget), "email");
    if (!email.includes("@"))
      return report({ fields: { email: t`Enter a valid email address.` }, message: null });
    clear();
    mutation.mutate({ email });
  };

  return (
    <AuthCard
      title={t`Forgot your password?`}
      description={t`Enter your account's email address and we will mail you a link to choose a new one.`}
      footer={SIGN_IN_LINK}
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
          error={errors.fields.email}
        />
        <Button type="submit" className="h-11 w-full" loading={mutation.isPending}>
          <Trans>Send reset link</Trans>
        </Button>
      </ErrorForm>
    </AuthCard>
  );
}
