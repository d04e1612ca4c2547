import { Trans, useLingui } from "@lingui/react/macro";
import { MIN_PASSWORD_LENGTH } from "@parley/validators";
import { UserPlus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { toFormErrors } from "../../lib/errors.ts";
import { trpc } from "../../lib/trpc.ts";
import { useFormErrors } from "../../lib/use-form-errors.ts";
import { Alert } from "../ui/Alert.tsx";
import { Button } from "../ui/Button.tsx";
import { Section } from "../ui/Section.tsx";
import { labelledOptions, SelectField } from "../ui/SelectField.tsx";
import { TextField } from "../ui/TextField.tsx";
import { OneTimeLink } from "./OneTimeLink.tsx";
import { isRole, ROLE_LABELS, ROLES, type UserRole } from "./types.ts";

const FIELDS = ["email", "username", "displayName", "password"] as const;
type Field = (typeof FIELDS)[number];

/** Creates an account directly; without a password, a one-time link lets the person pick one. */
export function CreateAccountSection() {
  const { t } = useLingui();
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

  const createdId = create.data?.user.id;
  const createdName = create.data?.user.displayName;
  const createdEmail = create.data?.user.email;
  return (
    <Section title={t`Create an account`} description={t`Works whatever the registration mode.`}>
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
        <TextField label={t`Email`} name="email" type="email" required error={errors.fields.email} />
        <TextField label={t`Username`} name="username" required error={errors.fields.username} />
        <TextField label={t`Display name`} name="displayName" optional error={errors.fields.displayName} />
        <SelectField
          label={t`Role`}
          value={role}
          onChange={(event) => isRole(event.target.value) && setRole(event.target.value)}
          options={labelledOptions(ROLES, ROLE_LABELS)}
        />
        <TextField
          label={t`Password`}
          name="password"
          type="password"
          autoComplete="new-password"
          optional
          hint={t`At least ${MIN_PASSWORD_LENGTH} characters. Leave empty to get a link that lets the person choose one.`}
          error={errors.fields.password}
          className="sm:col-span-2"
        />
        <div className="space-y-3 sm:col-span-2">
          {create.data && (
            <p role="status" className="text-sm text-fg">
              <Trans>
                Created{" "}
                <Link
                  to={`/admin/users/${createdId}`}
                  className="font-semibold text-brand-text underline-offset-2 hover:underline"
                >
                  {createdName}
                </Link>{" "}
                ({createdEmail}).
              </Trans>
            </p>
          )}
          {create.data?.passwordResetUrl && (
            <OneTimeLink
              label={t`Set-password link`}
              url={create.data.passwordResetUrl}
              copyLabel={t`Copy set-password link`}
              note={t`Shown once: give it to the person, who chooses a password with it (within 24 hours).`}
            />
          )}
          <Button
            type="submit"
            loading={create.isPending}
            icon={<UserPlus aria-hidden="true" className="size-4" />}
          >
            <Trans>Create account</Trans>
          </Button>
        </div>
      </form>
    </Section>
  );
}
