import { Check, PencilLine, Tags, X } from "lucide-react";
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { Alert } from "../../components/Alert.tsx";
import {
  creditsToUsd,
  formatNumber,
  parseWholeNumber,
  usdPerMillionTokens,
} from "../../components/admin/format.ts";
import { QueryError } from "../../components/admin/QueryError.tsx";
import { RequireAdmin } from "../../components/admin/RequireAdmin.tsx";
import type { ModelPrice } from "../../components/admin/types.ts";
import {
  EmptyState,
  LoadingBlock,
  NUM,
  PageHeader,
  Section,
  TABLE,
  TableScroll,
  TD,
  TH,
} from "../../components/admin/ui.tsx";
import { Button } from "../../components/Button.tsx";
import { errorMessage, toFormErrors } from "../../lib/errors.ts";
import { trpc } from "../../lib/trpc.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

/** The API's ceiling for a price, in credits per 1,000 tokens. */
const MAX_PRICE = 10_000_000;
const MAX_NAME = 80;
const FIELDS = ["displayName", "inputPer1k", "outputPer1k"] as const;
type Field = (typeof FIELDS)[number];
type Draft = Record<Field, string>;
type DraftErrors = Partial<Record<Field, string>>;

export function ModelsPage() {
  return (
    <RequireAdmin reason="Models and prices are managed by admins.">
      <Models />
    </RequireAdmin>
  );
}

function Models() {
  useDocumentTitle("Models & prices");
  const models = trpc.admin.pricing.list.useQuery();
  const [editing, setEditing] = useState<string | null>(null);
  // After an edit, focus goes back to that row's Edit button rather than getting lost.
  const [returnFocusTo, setReturnFocusTo] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <div className="space-y-6">
      <PageHeader
        title="Models & prices"
        description="What each model costs, in whole credits per 1,000 tokens. A new price applies to requests started from now on; past charges never change."
      />
      <p className="rounded-xl border border-border bg-surface-muted/60 px-4 py-3 text-sm text-fg-muted">
        1 credit = US$0.00001, so a price of <span className="font-medium text-fg">100 credits</span> per
        1,000 tokens is <span className="font-medium text-fg">US$1.00</span> per million tokens.
      </p>
      {notice && (
        <p
          role="status"
          className="rounded-lg border border-emerald-500/25 bg-emerald-500/10 px-3.5 py-2.5 text-sm text-fg"
        >
          {notice}
        </p>
      )}
      <Section title="Models" description="The models Parley offers, as configured on the server." flush>
        {models.isPending ? (
          <LoadingBlock label="Loading models…" />
        ) : models.isError ? (
          <div className="p-5">
            <QueryError
              error={models.error}
              onRetry={() => void models.refetch()}
              retrying={models.isFetching}
              title="Couldn't load models"
              forbidden="page"
            />
          </div>
        ) : models.data.length === 0 ? (
          <EmptyState icon={Tags} title="No models configured">
            Set BEDROCK_MODEL_ARNS (or MODEL_PRICES) on the server.
          </EmptyState>
        ) : (
          <TableScroll label="Model prices">
            <table className={TABLE}>
              <thead>
                <tr>
                  <th scope="col" className={TH}>
                    Model
                  </th>
                  <th scope="col" className={`${TH} text-right`}>
                    Input / 1K tokens
                  </th>
                  <th scope="col" className={`${TH} text-right`}>
                    Output / 1K tokens
                  </th>
                  <th scope="col" className={`${TH} text-right`}>
                    <span className="sr-only">Actions</span>
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
                          setNotice(
                            `Saved ${saved.displayName}: ${formatNumber(saved.inputPer1k)} credits in, ${formatNumber(saved.outputPer1k)} credits out per 1,000 tokens.`,
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
      <p className="font-medium">{formatNumber(per1k)} credits</p>
      <p className="text-xs text-fg-muted">
        {creditsToUsd(per1k)} · {usdPerMillionTokens(per1k)}/M
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
      <td className={`${TD} text-right`}>
        <Button
          ref={editRef}
          variant="secondary"
          className="h-8 px-2.5 text-xs"
          disabled={editingOther}
          aria-label={`Edit ${model.displayName}`}
          icon={<PencilLine aria-hidden="true" className="size-3.5" />}
          onClick={onEdit}
        >
          Edit
        </Button>
      </td>
    </tr>
  );
}

function validate(draft: Draft): {
  errors: DraftErrors;
  values: { displayName: string; inputPer1k: number; outputPer1k: number } | null;
} {
  const errors: DraftErrors = {};
  const displayName = draft.displayName.trim();
  if (!displayName) errors.displayName = "Enter a name.";
  else if (displayName.length > MAX_NAME) errors.displayName = `At most ${MAX_NAME} characters.`;
  const price = (field: "inputPer1k" | "outputPer1k") => {
    const value = parseWholeNumber(draft[field]);
    if (value === null) errors[field] = "Enter a whole number of credits.";
    else if (value < 0) errors[field] = "A price can't be negative.";
    else if (value > MAX_PRICE) errors[field] = `At most ${formatNumber(MAX_PRICE)}.`;
    return value ?? 0;
  };
  const inputPer1k = price("inputPer1k");
  const outputPer1k = price("outputPer1k");
  return { errors, values: Object.keys(errors).length > 0 ? null : { displayName, inputPer1k, outputPer1k } };
}

/**
 * A row turned into a small form. The inputs live in their cells and join the form (which sits in
 * the last cell) through the form attribute, so Enter saves and the table stays a table.
 */
function EditRow({ model, onDone }: { model: ModelPrice; onDone: (saved: ModelPrice | null) => void }) {
  const utils = trpc.useUtils();
  const formId = useId();
  const [draft, setDraft] = useState<Draft>({
    displayName: model.displayName,
    inputPer1k: String(model.inputPer1k),
    outputPer1k: String(model.outputPer1k),
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
          {input("displayName", `Display name of ${model.modelId}`)}
          <p className="mt-1 font-mono text-xs text-fg-muted">{model.modelId}</p>
        </td>
        <td className={`${TD} w-40 align-top`}>
          {input("inputPer1k", `Input price of ${model.displayName}, credits per 1,000 tokens`, {
            inputMode: "numeric",
            className: "text-right tabular-nums",
          })}
        </td>
        <td className={`${TD} w-40 align-top`}>
          {input("outputPer1k", `Output price of ${model.displayName}, credits per 1,000 tokens`, {
            inputMode: "numeric",
            className: "text-right tabular-nums",
          })}
        </td>
        <td className={`${TD} align-top`}>
          <form id={formId} noValidate onSubmit={submit} className="flex justify-end gap-2">
            <Button
              type="submit"
              className="h-9 px-3"
              loading={mutation.isPending}
              icon={<Check aria-hidden="true" className="size-4" />}
            >
              Save
            </Button>
            <Button
              variant="secondary"
              className="h-9 px-3"
              disabled={mutation.isPending}
              onClick={() => onDone(null)}
              icon={<X aria-hidden="true" className="size-4" />}
            >
              Cancel
            </Button>
          </form>
        </td>
      </tr>
      {message && (
        <tr>
          <td colSpan={4} className={TD}>
            <Alert>{message}</Alert>
          </td>
        </tr>
      )}
    </>
  );
}
