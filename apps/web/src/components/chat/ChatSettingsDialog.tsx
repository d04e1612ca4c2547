import { t as translate } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { SlidersHorizontal, Trash2 } from "lucide-react";
import { type FormEvent, useId, useState } from "react";
import type { ChatPreset, ChatSettings } from "../../lib/api-types.ts";
import { useCurrentUser } from "../../lib/current-user.ts";
import { errorMessage, toFormErrors } from "../../lib/errors.ts";
import { formatNumber } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { useFormErrors } from "../../lib/use-form-errors.ts";
import { Alert } from "../ui/Alert.tsx";
import { Button } from "../ui/Button.tsx";
import { Dialog } from "../ui/Dialog.tsx";
import { FieldError, SelectField } from "../ui/SelectField.tsx";
import { TextField } from "../ui/TextField.tsx";

// Loaded on demand (LazyChatSettings): the chat screen's first load carries none of this.

/** The chat header's settings button; it opens the dialog. */
export function ChatSettingsButton({
  sessionId,
  settings,
}: {
  sessionId: string;
  settings: ChatSettings | undefined;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        disabled={!settings}
        aria-haspopup="dialog"
        className="inline-flex h-9 items-center gap-1.5 rounded-lg px-2.5 text-sm font-medium text-fg-muted hover:bg-surface-muted hover:text-fg disabled:opacity-50"
      >
        <SlidersHorizontal aria-hidden="true" className="size-4" />
        <span className="max-sm:sr-only">
          <Trans>Chat settings</Trans>
        </span>
      </button>
      {open && settings && (
        <ChatSettingsDialog sessionId={sessionId} settings={settings} onClose={() => setOpen(false)} />
      )}
    </>
  );
}

type Field = "systemPrompt" | "temperature" | "maxTokens" | "name";
const FIELDS: readonly Field[] = ["systemPrompt", "temperature", "maxTokens", "name"];

/** The form's text, "" for a setting left to the default. */
interface Draft {
  systemPrompt: string;
  temperature: string;
  maxTokens: string;
}

const draftOf = (s: Partial<ChatSettings>): Draft => ({
  systemPrompt: s.systemPrompt ?? "",
  temperature: s.temperature === null || s.temperature === undefined ? "" : String(s.temperature),
  maxTokens: s.maxTokens === null || s.maxTokens === undefined ? "" : String(s.maxTokens),
});

/** The settings to send: "" is null (the default); a malformed number goes as NaN for the server to refuse. */
const settingsOf = (d: Draft): ChatSettings => ({
  systemPrompt: d.systemPrompt.trim() || null,
  temperature: d.temperature.trim() === "" ? null : Number(d.temperature),
  maxTokens: d.maxTokens.trim() === "" ? null : Number(d.maxTokens),
});

/** A chat's instructions, temperature and maximum answer length, with presets to apply or save. */
export function ChatSettingsDialog({
  sessionId,
  settings,
  onClose,
}: {
  sessionId: string;
  settings: ChatSettings;
  onClose: () => void;
}) {
  const { t } = useLingui();
  const user = useCurrentUser();
  const utils = trpc.useUtils();
  const config = trpc.sessions.config.useQuery(undefined, { staleTime: 5 * 60_000 });
  const presets = trpc.presets.list.useQuery();
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [presetId, setPresetId] = useState("");
  const [presetName, setPresetName] = useState("");
  const [publish, setPublish] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const { formRef, errors, report, clear, clearField } = useFormErrors<Field>();
  const promptId = useId();
  const limits = config.data?.settingsLimits;
  const promptChars = limits && formatNumber(limits.systemPromptChars);
  const temperatureHint = limits && temperatureRange(limits.temperature.min, limits.temperature.max);
  const maxTokensHint = limits && tokensRange(limits.maxTokens.min, limits.maxTokens.max);

  const update = trpc.sessions.update.useMutation({
    onSuccess: async () => {
      await utils.sessions.get.invalidate({ sessionId });
      onClose();
    },
    onError: (error) => report(toFormErrors(error, FIELDS)),
  });
  const createPreset = trpc.presets.create.useMutation({
    onSuccess: async (preset) => {
      await utils.presets.list.invalidate();
      setPresetId(preset.id);
      setPresetName("");
      const name = preset.name;
      setSaved(t`Saved as the preset “${name}”.`);
    },
    onError: (error) => report(toFormErrors(error, FIELDS)),
  });
  const deletePreset = trpc.presets.delete.useMutation({
    onSuccess: async () => {
      await utils.presets.list.invalidate();
      setPresetId("");
    },
    onError: (error) => report({ fields: {}, message: errorMessage(error) }),
  });
  const chosen = presets.data?.find((p) => p.id === presetId);

  const edit = (field: keyof Draft, value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    clearField(field);
    setSaved(null);
  };
  const apply = (preset: ChatPreset | undefined) => {
    setPresetId(preset?.id ?? "");
    if (preset) setDraft(draftOf(preset));
    clear();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    clear();
    update.mutate({ sessionId, ...settingsOf(draft) });
  };
  const saveAsPreset = () => {
    clear();
    createPreset.mutate({ name: presetName, ...settingsOf(draft), ...(publish ? { published: true } : {}) });
  };

  return (
    <Dialog
      title={t`Chat settings`}
      description={t`Instructions and parameters for this chat's next answers.`}
      onClose={onClose}
    >
      <form ref={formRef} onSubmit={submit} noValidate className="space-y-4">
        {errors.message && <Alert title={t`Couldn't save`}>{errors.message}</Alert>}
        <SelectField
          label={t`Apply a preset`}
          value={presetId}
          onChange={(event) => apply(presets.data?.find((p) => p.id === event.target.value))}
        >
          <option value="">{presets.isPending ? t`Loading presets…` : t`Choose a preset…`}</option>
          {presets.data?.map((p) => (
            <option key={p.id} value={p.id}>
              {p.published ? sharedPresetName(p.name) : p.name}
            </option>
          ))}
        </SelectField>
        {chosen?.mine && (
          <Button
            variant="danger"
            className="h-8 px-3 text-xs"
            loading={deletePreset.isPending}
            icon={<Trash2 aria-hidden="true" className="size-3.5" />}
            onClick={() => deletePreset.mutate({ presetId: chosen.id })}
          >
            <DeletePresetLabel name={chosen.name} />
          </Button>
        )}
        <div className="space-y-1.5">
          <label htmlFor={promptId} className="block text-sm font-medium text-fg">
            <Trans>Instructions</Trans>
          </label>
          <textarea
            id={promptId}
            name="systemPrompt"
            rows={5}
            value={draft.systemPrompt}
            onChange={(event) => edit("systemPrompt", event.target.value)}
            placeholder={t`For example: Answer like a patient teacher, with short examples.`}
            aria-invalid={errors.fields.systemPrompt ? true : undefined}
            aria-describedby={`${promptId}-hint${errors.fields.systemPrompt ? ` ${promptId}-error` : ""}`}
            className="block w-full rounded-lg border border-border bg-surface px-3.5 py-2.5 text-base text-fg shadow-xs focus:border-brand focus:ring-4 focus:ring-brand/15 focus:outline-none aria-invalid:border-danger sm:text-sm"
          />
          <p id={`${promptId}-hint`} className="text-xs text-fg-muted">
            {promptChars ? (
              <Trans>
                Sent to the model after Parley's own instructions; at most {promptChars} characters.
              </Trans>
            ) : (
              <Trans>Sent to the model after Parley's own instructions.</Trans>
            )}
          </p>
          {errors.fields.systemPrompt && (
            <FieldError id={`${promptId}-error`}>{errors.fields.systemPrompt}</FieldError>
          )}
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label={t`Temperature`}
            name="temperature"
            inputMode="decimal"
            value={draft.temperature}
            onChange={(event) => edit("temperature", event.target.value)}
            placeholder={t`Model default`}
            hint={temperatureHint}
            error={errors.fields.temperature}
          />
          <TextField
            label={t`Max answer length`}
            name="maxTokens"
            inputMode="numeric"
            value={draft.maxTokens}
            onChange={(event) => edit("maxTokens", event.target.value)}
            placeholder={t`Model maximum`}
            hint={maxTokensHint}
            error={errors.fields.maxTokens}
          />
        </div>
        <fieldset className="space-y-2 rounded-xl border border-border p-3">
          <legend className="px-1 text-sm font-medium text-fg">
            <Trans>Save these settings as a preset</Trans>
          </legend>
          <div className="flex items-end gap-2">
            <TextField
              label={t`Preset name`}
              name="name"
              value={presetName}
              onChange={(event) => {
                setPresetName(event.target.value);
                clearField("name");
              }}
              error={errors.fields.name}
              className="min-w-0 flex-1"
            />
            <Button variant="secondary" loading={createPreset.isPending} onClick={saveAsPreset}>
              <Trans>Save preset</Trans>
            </Button>
          </div>
          {user.role === "admin" && (
            <label className="flex items-center gap-2 text-sm text-fg">
              <input
                type="checkbox"
                checked={publish}
                onChange={(event) => setPublish(event.target.checked)}
              />
              <Trans>Publish to everyone</Trans>
            </label>
          )}
          {saved && (
            <p role="status" className="text-sm text-fg-muted">
              {saved}
            </p>
          )}
        </fieldset>
        <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={onClose}>
            <Trans>Cancel</Trans>
          </Button>
          <Button type="submit" loading={update.isPending}>
            <Trans>Save settings</Trans>
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function temperatureRange(min: number, max: number): string {
  return translate`${min} (focused) to ${max} (creative)`;
}

function tokensRange(minTokens: number, maxTokens: number): string {
  const min = formatNumber(minTokens);
  const max = formatNumber(maxTokens);
  return translate`Tokens, ${min} to ${max}`;
}

function sharedPresetName(name: string): string {
  return translate`${name} (shared)`;
}

function DeletePresetLabel({ name }: { name: string }) {
  return <Trans>Delete preset “{name}”</Trans>;
}
