import { i18n } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { MAX_DISPLAY_NAME_LENGTH, MIN_PASSWORD_LENGTH } from "@parley/validators";
import { Check, KeyRound, Save } from "lucide-react";
import { type FormEvent, useState } from "react";
import { formText } from "../../lib/auth-validation.ts";
import type { CurrentUser } from "../../lib/current-user.ts";
import { type FormErrors, hasErrors, toFormErrors } from "../../lib/errors.ts";
import { trpc } from "../../lib/trpc.ts";
import { useFormErrors } from "../../lib/use-form-errors.ts";
import { Alert } from "../ui/Alert.tsx";
import { Button } from "../ui/Button.tsx";
import { TextField } from "../ui/TextField.tsx";

function Saved({ children }: { children: string }) {
  return (
    <p
      role="status"
      className="flex items-center gap-1.5 text-sm font-medium text-emerald-700 dark:text-emerald-400"
    >
      <Check aria-hidden="true" className="size-4" />
      {children}
    </p>
  );
}

type NameField = "displayName";
const NAME_FIELDS: readonly NameField[] = ["displayName"];

export function DisplayNameForm({ user }: { user: CurrentUser }) {
  const utils = trpc.useUtils();
  const { t } = useLingui();
  const { formRef, errors, report, clear, clearField } = useFormErrors<NameField>();
  const [saved, setSaved] = useState(false);
  const mutation = trpc.auth.updateProfile.useMutation({
    onSuccess: (updated) => {
      utils.auth.session.setData(undefined, updated);
      setSaved(true);
    },
    onError: (error) => report(toFormErrors(error, NAME_FIELDS)),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const displayName = formText(new FormData(event.currentTarget), "displayName");
    if (!displayName) return report({ fields: { displayName: t`Enter a display name.` }, message: null });
    clear();
    setSaved(false);
    mutation.mutate({ displayName });
  };

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={onSubmit}
      onChange={() => {
        setSaved(false);
        clearField("displayName");
      }}
      className="space-y-4"
    >
      {errors.message && <Alert>{errors.message}</Alert>}
      <TextField
        label={t`Display name`}
        name="displayName"
        autoComplete="name"
        defaultValue={user.displayName}
        maxLength={MAX_DISPLAY_NAME_LENGTH}
        hint={t`How you appear in Parley.`}
        error={errors.fields.displayName}
      />
      <div className="flex flex-wrap items-center justify-end gap-3">
        {saved && <Saved>{t`Display name saved`}</Saved>}
        <Button
          type="submit"
          loading={mutation.isPending}
          icon={<Save aria-hidden="true" className="size-4" />}
        >
          <Trans>Save name</Trans>
        </Button>
      </div>
    </form>
  );
}

type PasswordField = "currentPassword" | "newPassword" | "confirmPassword";
const PASSWORD_FIELDS: readonly PasswordField[] = ["currentPassword", "newPassword", "confirmPassword"];

function validatePasswords(values: Record<PasswordField, string>): FormErrors<PasswordField> {
  const fields: FormErrors<PasswordField>["fields"] = {};
  if (!values.currentPassword) fields.currentPassword = i18n._(msg`Enter your current password.`);
  if (values.newPassword.length < MIN_PASSWORD_LENGTH) {
    fields.newPassword = `Password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  }
  if (values.confirmPassword !== values.newPassword)
    fields.confirmPassword = i18n._(msg`The passwords don't match.`);
  return { fields, message: null };
}

export function PasswordForm({ username }: { username: string }) {
  const { t } = useLingui();
  const { formRef, errors, report, clear, clearField } = useFormErrors<PasswordField>();
  const [saved, setSaved] = useState(false);
  const mutation = trpc.auth.changePassword.useMutation({
    onSuccess: () => {
      formRef.current?.reset();
      setSaved(true);
    },
    onError: (error) => report(toFormErrors(error, PASSWORD_FIELDS)),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values = {
      currentPassword: formText(form, "currentPassword", false),
      newPassword: formText(form, "newPassword", false),
      confirmPassword: formText(form, "confirmPassword", false),
    };
    const problems = validatePasswords(values);
    if (hasErrors(problems)) return report(problems);
    clear();
    setSaved(false);
    mutation.mutate({ currentPassword: values.currentPassword, newPassword: values.newPassword });
  };

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={onSubmit}
      onChange={(event) => {
        setSaved(false);
        if (event.target instanceof HTMLInputElement) clearField(event.target.name);
      }}
      className="space-y-4"
    >
      {errors.message && <Alert>{errors.message}</Alert>}
      {/* Lets password managers tie the new password to this account. */}
      <input type="text" name="username" autoComplete="username" value={username} hidden readOnly />
      <TextField
        label={t`Current password`}
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={errors.fields.currentPassword}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label={t`New password`}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          hint={t`At least ${MIN_PASSWORD_LENGTH} characters.`}
          error={errors.fields.newPassword}
        />
        <TextField
          label={t`Confirm new password`}
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          error={errors.fields.confirmPassword}
        />
      </div>
      <div className="flex flex-wrap items-center justify-end gap-3">
        {saved && <Saved>{t`Password changed; your other devices were signed out`}</Saved>}
        <Button
          type="submit"
          loading={mutation.isPending}
          icon={<KeyRound aria-hidden="true" className="size-4" />}
        >
          <Trans>Change password</Trans>
        </Button>
      </div>
    </form>
  );
}
