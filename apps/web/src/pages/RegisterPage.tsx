import type { FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { Alert } from "../components/Alert.tsx";
import { AuthCard } from "../components/AuthCard.tsx";
import { Button } from "../components/Button.tsx";
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
    mutation.mutate({ ...values, displayName: values.displayName || undefined });
  };

  return (
    <AuthCard
      title="Create your account"
      description="It takes less than a minute. You can change these details later."
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
      <form
        ref={formRef}
        noValidate
        onSubmit={onSubmit}
        onChange={(event) => {
          if (event.target instanceof HTMLInputElement) clearField(event.target.name);
        }}
        className="space-y-5"
      >
        {errors.message && <Alert>{errors.message}</Alert>}
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          autoCapitalize="none"
          spellCheck={false}
          required
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
      </form>
    </AuthCard>
  );
}
