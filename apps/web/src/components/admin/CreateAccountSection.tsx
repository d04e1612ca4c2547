import { UserPlus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { MIN_PASSWORD_LENGTH } from "../../lib/auth-validation.ts";
import { toFormErrors } from "../../lib/errors.ts";
import { trpc } from "../../lib/trpc.ts";
import { useFormErrors } from "../../lib/use-form-errors.ts";
import { Alert } from "../Alert.tsx";
import { Button } from "../Button.tsx";
import { TextField } from "../TextField.tsx";
import { OneTimeLink } from "./OneTimeLink.tsx";
import { isRole, ROLE_LABELS, ROLES, type UserRole } from "./types.ts";
import { Section, SelectField } from "./ui.tsx";

const FIELDS = ["email", "username", "displayName", "password"] as const;
type Field = (typeof FIELDS)[number];

/** Creates an account directly; without a password, a one-time link lets the person pick one. */
export function CreateAccountSection() {
  const utils = trpc.useUtils();
  const [role, setRole] = useState<UserRole>("user");
  const { formRef, errors, report, clear, clearField } = useFormErrors<Field>();
  const create = trpc.admin.users.create.useMutation({
    onSuccess: () => {
      formRef.current?.reset();
      return utils.admin.users.list.invalidate();
    },
    onError: (error) => report(toFormErrors(error, FIELDS)),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: Field) => String(form.get(name) ?? "").trim();
    const password = String(form.get("password") ?? "");
    clear();
    create.mutate({
      email: text("email"),
      username: text("username"),
      role,
      ...(text("displayName") ? { displayName: text("displayName") } : {}),
      ...(password ? { password } : {}),
    });
  };

  return (
    <Section title="Create an account" description="Works whatever the registration mode.">
      <form
        ref={formRef}
        noValidate
        onSubmit={onSubmit}
        onChange={(event) => {
          if (event.target instanceof HTMLInputElement) clearField(event.target.name);
        }}
        className="grid gap-4 sm:grid-cols-2"
      >
        {errors.message && (
          <div className="sm:col-span-2">
            <Alert>{errors.message}</Alert>
          </div>
        )}
        <TextField label="Email" name="email" type="email" required error={errors.fields.email} />
        <TextField label="Username" name="username" required error={errors.fields.username} />
        <TextField label="Display name" name="displayName" optional error={errors.fields.displayName} />
        <SelectField
          label="Role"
          value={role}
          onChange={(event) => isRole(event.target.value) && setRole(event.target.value)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          optional
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. Leave empty to get a link that lets the person choose one.`}
          error={errors.fields.password}
          className="sm:col-span-2"
        />
        <div className="space-y-3 sm:col-span-2">
          {create.data && (
            <p role="status" className="text-sm text-fg">
              Created{" "}
              <Link
                to={`/admin/users/${create.data.user.id}`}
                className="font-semibold text-brand-text underline-offset-2 hover:underline"
              >
                {create.data.user.displayName}
              </Link>{" "}
              ({create.data.user.email}).
            </p>
          )}
          {create.data?.passwordResetUrl && (
            <OneTimeLink
              label="Set-password link"
              url={create.data.passwordResetUrl}
              note="Shown once: give it to the person, who chooses a password with it (within 24 hours)."
            />
          )}
          <Button
            type="submit"
            loading={create.isPending}
            icon={<UserPlus aria-hidden="true" className="size-4" />}
          >
            Create account
          </Button>
        </div>
      </form>
    </Section>
  );
}
