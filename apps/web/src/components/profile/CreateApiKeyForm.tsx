import { Trans, useLingui } from "@lingui/react/macro";
import { MAX_API_KEY_NAME_LENGTH } from "@parley/validators";
import { Plus } from "lucide-react";
import { type FormEvent, useState } from "react";
import type { RouterOutputs } from "../../lib/api-types.ts";
import { formText } from "../../lib/auth-validation.ts";
import type { CurrentUser } from "../../lib/current-user.ts";
import { toFormErrors } from "../../lib/errors.ts";
import { trpc } from "../../lib/trpc.ts";
import { useFormErrors } from "../../lib/use-form-errors.ts";
import { CopyButton } from "../CopyButton.tsx";
import { Alert } from "../ui/Alert.tsx";
import { Button } from "../ui/Button.tsx";
import { SelectField } from "../ui/SelectField.tsx";
import { TextField } from "../ui/TextField.tsx";

type Field = "name" | "scopes" | "expiresAt";
const FIELDS: readonly Field[] = ["name", "scopes", "expiresAt"];
type Created = RouterOutputs["auth"]["apiKeys"]["create"];
type Scope = Created["key"]["scopes"][number];

/** Creates a personal API key and shows its secret once, with a copy button. */
export function CreateApiKeyForm({ user }: { user: CurrentUser }) {
  const utils = trpc.useUtils();
  const { t } = useLingui();
  const allScopes: { value: Scope; label: string; hint: string }[] = [
    { value: "chat", label: t`Chat`, hint: t`send messages and read chats (sessions.*)` },
    { value: "accounting", label: t`Accounting`, hint: t`balance, usage and reservations (accounting.*)` },
    { value: "admin", label: t`Admin`, hint: t`what your role may do under admin.*` },
  ];
  const expiryOptions = [
    { value: "30", label: t`30 days` },
    { value: "90", label: t`90 days` },
    { value: "365", label: t`1 year` },
    { value: "never", label: t`Never` },
  ];
  const { formRef, errors, report, clear } = useFormErrors<Field>();
  const [expiry, setExpiry] = useState("90");
  const [created, setCreated] = useState<Created | null>(null);
  const mutation = trpc.auth.apiKeys.create.useMutation({
    onSuccess: (result) => {
      setCreated(result);
      formRef.current?.reset();
      void utils.auth.apiKeys.list.invalidate();
    },
    onError: (error) => report(toFormErrors(error, FIELDS)),
  });
  const scopes = allScopes.filter((scope) => scope.value !== "admin" || user.role !== "user");

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = formText(form, "name");
    const chosen = form.getAll("scopes").filter((v): v is Scope => scopes.some((s) => s.value === v));
    const fields: Partial<Record<Field, string>> = {};
    if (!name) fields.name = t`Give the key a name.`;
    if (chosen.length === 0) fields.scopes = t`Choose at least one scope.`;
    if (Object.keys(fields).length > 0) return report({ fields, message: null });
    clear();
    setCreated(null);
    const days = Number(expiry);
    mutation.mutate({
      name,
      scopes: chosen,
      ...(Number.isFinite(days) ? { expiresAt: new Date(Date.now() + days * 86_400_000) } : {}),
    });
  };

  const createdName = created?.key.name;
  return (
    <div className="space-y-4">
      {created && (
        <div role="status" className="space-y-2 rounded-lg border border-brand/30 bg-brand/5 p-4 text-sm">
          <p className="font-semibold text-fg">
            <Trans>Key “{createdName}” created</Trans>
          </p>
          <p className="text-fg-muted">
            <Trans>Copy it now: it is shown only once and cannot be recovered.</Trans>
          </p>
          <div className="flex items-center gap-2">
            <code
              data-testid="new-api-key"
              className="min-w-0 flex-1 break-all rounded bg-surface px-2 py-1.5"
            >
              {created.secret}
            </code>
            <CopyButton text={created.secret} label={t`Copy key`} showLabel />
          </div>
          <div className="flex justify-end">
            <Button variant="secondary" onClick={() => setCreated(null)}>
              <Trans>Done</Trans>
            </Button>
          </div>
        </div>
      )}
      <form ref={formRef} noValidate onSubmit={onSubmit} className="space-y-4">
        {errors.message && <Alert>{errors.message}</Alert>}
        <TextField
          label={t`Key name`}
          name="name"
          maxLength={MAX_API_KEY_NAME_LENGTH}
          hint={t`Where it is used, e.g. “build server”.`}
          error={errors.fields.name}
        />
        <fieldset
          aria-describedby={errors.fields.scopes ? "api-key-scopes-error" : undefined}
          className="space-y-2"
        >
          <legend className="text-sm font-medium text-fg">
            <Trans>Scopes</Trans>
          </legend>
          {scopes.map((scope) => (
            <label key={scope.value} className="flex items-start gap-2 text-sm text-fg">
              <input type="checkbox" name="scopes" value={scope.value} className="mt-0.5 size-4" />
              <span>
                {scope.label} <span className="text-fg-muted">— {scope.hint}</span>
              </span>
            </label>
          ))}
          {errors.fields.scopes && (
            <p id="api-key-scopes-error" className="text-sm text-danger">
              {errors.fields.scopes}
            </p>
          )}
        </fieldset>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <SelectField
            inline
            label={t`Expires after`}
            value={expiry}
            onChange={(event) => setExpiry(event.target.value)}
            options={expiryOptions}
          />
          <Button
            type="submit"
            loading={mutation.isPending}
            icon={<Plus aria-hidden="true" className="size-4" />}
          >
            <Trans>Create key</Trans>
          </Button>
        </div>
        {errors.fields.expiresAt && <Alert>{errors.fields.expiresAt}</Alert>}
      </form>
    </div>
  );
}
