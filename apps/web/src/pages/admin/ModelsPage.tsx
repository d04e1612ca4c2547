import { i18n } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { MAX_CACHE_PRICE_PER_1M, MAX_DISPLAY_NAME_LENGTH, MAX_PRICE_PER_1K } from "@parley/validators";
import { Check, PencilLine, Tags, X } from "lucide-react";
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { BACK_TO_ADMIN, NotAllowed } from "../../components/admin/NotAllowed.tsx";
import { RequireAdmin } from "../../components/admin/RequireAdmin.tsx";
import type { ModelPrice } from "../../components/admin/types.ts";
import { Alert } from "../../components/ui/Alert.tsx";
import { Button } from "../../components/ui/Button.tsx";
import { QueryError } from "../../components/ui/QueryError.tsx";
import { PageHeader, Section } from "../../components/ui/Section.tsx";
import { EmptyState, LoadingBlock } from "../../components/ui/states.tsx";
import { NUM, TABLE, TableScroll, TD, TH } from "../../components/ui/table.tsx";
import { errorMessage, toFormErrors } from "../../lib/errors.ts";
import {
  formatCredits,
  formatNumber,
  formatUsd,
  parseWholeNumber,
  usdPerMillionTokens,
} from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

const FIELDS = ["displayName", "inputPer1k", "outputPer1k", "cacheReadPer1m", "cacheWritePer1m"] as const;
type Field = (typeof FIELDS)[number];
type Draft = Record<Field, string>;
type DraftErrors = Partial<Record<Field, string>>;

export function ModelsPage() {
  const { t } = useLingui();
  return (
    <RequireAdmin reason={t`Models and prices are managed by admins.`}>
      <Models />
    </RequireAdmin>
  );
}

function Models() {
  const { t } = useLingui();
  useDocumentTitle(t`Models & prices`);
  const models = trpc.admin.pricing.list.useQuery();
  const [editing, setEditing] = useState<string | null>(null);
  // After an edit, focus goes back to that row's Edit button rather than getting lost.
  const [returnFocusTo, setReturnFocusTo] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <div className="space-y-6">
      <PageHeader
        title={t`Models & prices`}
        description={t`What each model costs, in whole credits per 1,000 tokens (Bedrock's prompt cache: per million tokens read and written). A new price applies to requests started from now on; past charges never change.`}
      />
      <p className="rounded-xl border border-border bg-surface-muted/60 px-4 py-3 text-sm text-fg-muted">
        <Trans>
          1 credit = US$0.00001, so a price of <span className="font-medium text-fg">100 credits</span> per
          1,000 tokens is <span className="font-medium text-fg">US$1.00</span> per million tokens.
        </Trans>
      </p>
      {notice && (
        <p
          role="status"
          className="rounded-lg border border-emerald-500/25 bg-emerald-500/10 px-3.5 py-2.5 text-sm text-fg"
        >
          {notice}
        </p>
      )}
      <Section
        title={t`Models`}
        description={t`The models Parley offers, as configured on the server.`}
        flush
      >
        {models.isPending ? (
          <LoadingBlock label={t`Loading models…`} />
        ) : models.isError ? (
          <div className="p-5">
            <QueryError
              query={models}
              title={t`Couldn't load models`}
              forbidden={<NotAllowed back={BACK_TO_ADMIN} />}
            />
          </div>
        ) : models.data.length === 0 ? (
          <EmptyState icon={Tags} title={t`No models configured`}>
            <Trans>Set BEDROCK_MODEL_ARNS (or MODEL_PRICES) on the server.</Trans>
          </EmptyState>
        ) : (
          <TableScroll label={t`Model prices`}>
            <table className={TABLE}>
              <thead>
                <tr>
                  <th scope="col" className={TH}>
                    <Trans>Model</Trans>
                  </th>
                  <th scope="col" className={`${TH} text-right`}>
                    <Trans>Input / 1K tokens</Trans>
                  </th>
                  <th scope="col" className={`${TH} text-right`}>
                    <Trans>Output / 1K tokens</Trans>
                  </th>
                  <th scope="col" className={`${TH} text-right`}>
                    <Trans>Prompt cache read · write / 1M tokens</Trans>
                  </th>
                  <th scope="col" className={`${TH} text-right`}>
                    <span className="sr-only">
                      <Trans>Actions</Trans>
                    </span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {models.data.map((model) =>
                  editing === model.modelId ? (
                    <EditRow
                      key={model.modelId}
                      model={model}
                      onDone={(saved) => {
                        setEditing(null);
                        setReturnFocusTo(model.modelId);
                        if (saved) {
                          const name = saved.displayName;
                          const input = formatNumber(saved.inputPer1k);
                          const output = formatNumber(saved.outputPer1k);
                          setNotice(
                            t`Saved ${name}: ${input} credits in, ${output} credits out per 1,000 tokens.`,
                          );
                        }
                      }}
                    />
                  ) : (
                    <ViewRow
                      key={model.modelId}
                      model={model}
                      editingOther={editing !== null}
                      focusEdit={returnFocusTo === model.modelId}
                      onEdit={() => {
                        setNotice(null);
                        setEditing(model.modelId);
                      }}
                    />
                  ),
                )}
              </tbody>
            </table>
          </TableScroll>
        )}
      </Section>
    </div>
  );
}

function PriceCell({ per1k }: { per1k: number }) {
  return (
    <td className={`${TD} ${NUM}`}>
      <p className="font-medium">{formatCredits(per1k)}</p>
      <p className="text-xs text-fg-muted">
        {formatUsd(per1k)} · {usdPerMillionTokens(per1k)}/M
      </p>
    </td>
  );
}

/** Credits per million tokens read from and written to Bedrock's prompt cache, or "Not cached". */
function CacheCell({ model }: { model: ModelPrice }) {
  if (model.cacheReadPer1m === null || model.cacheWritePer1m === null) {
    return (
      <td className={`${TD} ${NUM} text-fg-muted`}>
        <Trans>Not cached</Trans>
      </td>
    );
  }
  const read = formatNumber(model.cacheReadPer1m);
  const write = formatNumber(model.cacheWritePer1m);
  return (
    <td className={`${TD} ${NUM}`}>
      <p className="font-medium">
        <Trans>
          {read} · {write} credits
        </Trans>
      </p>
      <p className="text-xs text-fg-muted">
        {formatUsd(model.cacheReadPer1m)} · {formatUsd(model.cacheWritePer1m)}/M
      </p>
    </td>
  );
}

function ViewRow({
  model,
  editingOther,
  focusEdit,
  onEdit,
}: {
  model: ModelPrice;
  editingOther: boolean;
  focusEdit: boolean;
  onEdit: () => void;
}) {
  const { t } = useLingui();
  const name = model.displayName;
  const editRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusEdit) editRef.current?.focus();
  }, [focusEdit]);
  return (
    <tr>
      <td className={TD}>
        <p className="font-medium">{model.displayName}</p>
        <p className="font-mono text-xs text-fg-muted">{model.modelId}</p>
      </td>
      <PriceCell per1k={model.inputPer1k} />
      <PriceCell per1k={model.outputPer1k} />
      <CacheCell model={model} />
      <td className={`${TD} text-right`}>
        <Button
          ref={editRef}
          variant="secondary"
          className="h-8 px-2.5 text-xs"
          disabled={editingOther}
          aria-label={t`Edit ${name}`}
          icon={<PencilLine aria-hidden="true" className="size-3.5" />}
          onClick={onEdit}
        >
          <Trans>Edit</Trans>
        </Button>
      </td>
    </tr>
  );
}

interface PriceValues {
  displayName: string;
  inputPer1k: number;
  outputPer1k: number;
  /** Null (both): the model is not cached. */
  cacheReadPer1m: number | null;
  cacheWritePer1m: number | null;
}

function atMost(limit: number): string {
  const shown = formatNumber(limit);
  return i18n._(msg`At most ${shown}.`);
}

function validate(draft: Draft): { errors: DraftErrors; values: PriceValues | null } {
  const errors: DraftErrors = {};
  const displayName = draft.displayName.trim();
  if (!displayName) errors.displayName = i18n._(msg`Enter a name.`);
  else if (displayName.length > MAX_DISPLAY_NAME_LENGTH)
    errors.displayName = i18n._(msg`At most ${MAX_DISPLAY_NAME_LENGTH} characters.`);
  const price = (field: "inputPer1k" | "outputPer1k") => {
    const value = parseWholeNumber(draft[field]);
    if (value === null) errors[field] = i18n._(msg`Enter a whole number of credits.`);
    else if (value < 0) errors[field] = "A price can't be negative.";
    else if (value > MAX_PRICE_PER_1K) errors[field] = atMost(MAX_PRICE_PER_1K);
    return value ?? 0;
  };
  const inputPer1k = price("inputPer1k");
  const outputPer1k = price("outputPer1k");
  const cachePrice = (field: "cacheReadPer1m" | "cacheWritePer1m") => {
    if (draft[field].trim() === "") return null;
    const value = parseWholeNumber(draft[field]);
    if (value === null) errors[field] = i18n._(msg`Enter a whole number of credits, or leave both empty.`);
    else if (value < 0) errors[field] = "A price can't be negative.";
    else if (value > MAX_CACHE_PRICE_PER_1M) errors[field] = atMost(MAX_CACHE_PRICE_PER_1M);
    return value;
  };
  const cacheReadPer1m = cachePrice("cacheReadPer1m");
  const cacheWritePer1m = cachePrice("cacheWritePer1m");
  if (
    (cacheReadPer1m === null) !== (cacheWritePer1m === null) &&
    !errors.cacheReadPer1m &&
    !errors.cacheWritePer1m
  ) {
    errors[cacheReadPer1m === null ? "cacheReadPer1m" : "cacheWritePer1m"] = i18n._(
      msg`Set both cache prices, or leave both empty to turn caching off.`,
    );
  }
  return {
    errors,
    values:
      Object.keys(errors).length > 0
        ? null
        : { displayName, inputPer1k, outputPer1k, cacheReadPer1m, cacheWritePer1m },
  };
}

/**
 * A row turned into a small form. The inputs live in their cells and join the form (which sits in
 * the last cell) through the form attribute, so Enter saves and the table stays a table.
 */
function EditRow({ model, onDone }: { model: ModelPrice; onDone: (saved: ModelPrice | null) => void }) {
  const { t } = useLingui();
  const utils = trpc.useUtils();
  const formId = useId();
  const name = model.displayName;
  const modelId = model.modelId;
  const [draft, setDraft] = useState<Draft>({
    displayName: model.displayName,
    inputPer1k: String(model.inputPer1k),
    outputPer1k: String(model.outputPer1k),
    cacheReadPer1m: model.cacheReadPer1m === null ? "" : String(model.cacheReadPer1m),
    cacheWritePer1m: model.cacheWritePer1m === null ? "" : String(model.cacheWritePer1m),
  });
  const [errors, setErrors] = useState<DraftErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const mutation = trpc.admin.pricing.update.useMutation({
    onSuccess: async (saved) => {
      await utils.admin.pricing.list.invalidate();
      onDone(saved);
    },
    onError: (error) => {
      const problems = toFormErrors(error, FIELDS);
      setErrors(problems.fields);
      setMessage(problems.message ?? (Object.keys(problems.fields).length ? null : errorMessage(error)));
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { errors: problems, values } = validate(draft);
    setErrors(problems);
    setMessage(null);
    if (!values) {
      const first = FIELDS.find((field) => problems[field]);
      if (first) document.getElementById(`${formId}-${first}`)?.focus();
      return;
    }
    const changes = {
      ...(values.displayName !== model.displayName ? { displayName: values.displayName } : {}),
      ...(values.inputPer1k !== model.inputPer1k ? { inputPer1k: values.inputPer1k } : {}),
      ...(values.outputPer1k !== model.outputPer1k ? { outputPer1k: values.outputPer1k } : {}),
      ...(values.cacheReadPer1m !== model.cacheReadPer1m || values.cacheWritePer1m !== model.cacheWritePer1m
        ? { cacheReadPer1m: values.cacheReadPer1m, cacheWritePer1m: values.cacheWritePer1m }
        : {}),
    };
    if (Object.keys(changes).length === 0) return onDone(null);
    mutation.mutate({ modelId: model.modelId, ...changes });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      onDone(null);
    }
  };

  const input = (field: Field, label: string, props: { inputMode?: "numeric"; className?: string } = {}) => (
    <div className="space-y-1">
      <input
        id={`${formId}-${field}`}
        form={formId}
        name={field}
        value={draft[field]}
        aria-label={label}
        aria-invalid={errors[field] ? true : undefined}
        aria-describedby={errors[field] ? `${formId}-${field}-error` : undefined}
        autoComplete="off"
        // biome-ignore lint/a11y/noAutofocus: the person just asked to edit this row; focus belongs here.
        autoFocus={field === "inputPer1k"}
        onKeyDown={onKeyDown}
        onChange={(event) => {
          setDraft((previous) => ({ ...previous, [field]: event.target.value }));
          setErrors((previous) => ({ ...previous, [field]: undefined }));
        }}
        className={`block h-9 w-full rounded-lg border border-border bg-surface px-2.5 text-sm text-fg shadow-xs focus:border-brand focus:ring-4 focus:ring-brand/15 focus:outline-none aria-invalid:border-danger ${props.className ?? ""}`}
        {...(props.inputMode ? { inputMode: props.inputMode } : {})}
      />
      {errors[field] && (
        <p id={`${formId}-${field}-error`} className="text-left text-xs text-danger">
          {errors[field]}
        </p>
      )}
    </div>
  );

  return (
    <>
      <tr className="bg-brand-soft/40">
        <td className={`${TD} min-w-56 align-top`}>
          {input("displayName", t`Display name of ${modelId}`)}
          <p className="mt-1 font-mono text-xs text-fg-muted">{model.modelId}</p>
        </td>
        <td className={`${TD} w-40 align-top`}>
          {input("inputPer1k", t`Input price of ${name}, credits per 1,000 tokens`, {
            inputMode: "numeric",
            className: "text-right tabular-nums",
          })}
        </td>
        <td className={`${TD} w-40 align-top`}>
          {input("outputPer1k", t`Output price of ${name}, credits per 1,000 tokens`, {
            inputMode: "numeric",
            className: "text-right tabular-nums",
          })}
        </td>
        <td className={`${TD} w-48 space-y-1 align-top`}>
          {input("cacheReadPer1m", t`Prompt cache read price of ${name}, credits per million tokens`, {
            inputMode: "numeric",
            className: "text-right tabular-nums",
          })}
          {input("cacheWritePer1m", t`Prompt cache write price of ${name}, credits per million tokens`, {
            inputMode: "numeric",
            className: "text-right tabular-nums",
          })}
          <p className="text-right text-xs text-fg-muted">
            <Trans>Read, then write; both empty: not cached</Trans>
          </p>
        </td>
        <td className={`${TD} align-top`}>
          <form id={formId} noValidate onSubmit={submit} className="flex justify-end gap-2">
            <Button
              type="submit"
              className="h-9 px-3"
              loading={mutation.isPending}
              icon={<Check aria-hidden="true" className="size-4" />}
            >
              <Trans>Save</Trans>
            </Button>
            <Button
              variant="secondary"
              className="h-9 px-3"
              disabled={mutation.isPending}
              onClick={() => onDone(null)}
              icon={<X aria-hidden="true" className="size-4" />}
            >
              <Trans>Cancel</Trans>
            </Button>
          </form>
        </td>
      </tr>
      {message && (
        <tr>
          <td colSpan={5} className={TD}>
            <Alert>{message}</Alert>
          </td>
        </tr>
      )}
    </>
  );
}
