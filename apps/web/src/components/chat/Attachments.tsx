import { Trans, useLingui } from "@lingui/react/macro";
import { CircleAlert, FileText, X } from "lucide-react";
import type { StoredMessage } from "../../lib/api-types.ts";
import type { DraftAttachment } from "../../lib/chat/attachment-draft.ts";
import { formatBytes } from "../../lib/format.ts";
import { Spinner } from "../ui/Spinner.tsx";

// Loaded lazily (LazyAttachments.tsx): most messages carry no files.

/** The composer's files: name, size, progress or the server's refusal, and a remove button. */
export function DraftChips({
  items,
  onRemove,
}: {
  items: DraftAttachment[];
  onRemove: (key: number) => void;
}) {
  const { t } = useLingui();
  if (items.length === 0) return null;
  return (
    <ul aria-label={t`Attachments`} className="flex flex-wrap gap-2 px-3 pt-3">
      {items.map((item) => (
        <li
          key={item.key}
          className={`flex max-w-full items-center gap-2 rounded-lg border px-2 py-1.5 text-xs ${
            item.status === "failed" ? "border-danger/50 bg-danger/5" : "border-border bg-surface-muted"
          }`}
        >
          {item.preview ? (
            <img src={item.preview} alt="" className="size-8 shrink-0 rounded object-cover" />
          ) : (
            <FileText aria-hidden="true" className="size-4 shrink-0 text-fg-muted" />
          )}
          <span className="min-w-0">
            <span className="block truncate font-medium text-fg">{item.name}</span>
            {item.status === "failed" ? (
              <span role="alert" className="flex items-start gap-1 text-danger">
                <CircleAlert aria-hidden="true" className="mt-px size-3 shrink-0" />
                {item.error}
              </span>
            ) : (
              <span className="text-fg-muted">
                {formatBytes(item.size)}
                {item.status === "uploading" && (
                  <>
                    {" · "}
                    <Trans>uploading…</Trans>
                  </>
                )}
              </span>
            )}
          </span>
          {item.status === "uploading" && <Spinner className="size-3.5 shrink-0" />}
          <button
            type="button"
            onClick={() => onRemove(item.key)}
            aria-label={t`Remove ${{ name: item.name }}`}
            className="grid size-6 shrink-0 place-items-center rounded text-fg-muted hover:bg-surface hover:text-fg"
          >
            <X aria-hidden="true" className="size-3.5" />
          </button>
        </li>
      ))}
    </ul>
  );
}

type StoredAttachment = StoredMessage["attachments"][number];

/** A sent message's files: thumbnails for images, download chips for documents. */
export function SentAttachments({ attachments }: { attachments: StoredAttachment[] }) {
  const { t } = useLingui();
  if (attachments.length === 0) return null;
  return (
    <ul aria-label={t`Attachments`} className="mb-2 flex flex-wrap justify-end gap-2">
      {attachments.map((a) => {
        const url = `/api/attachments/${a.id}`;
        return (
          <li key={a.id}>
            {a.kind === "image" ? (
              <a href={url} target="_blank" rel="noreferrer" title={a.name}>
                <img
                  src={url}
                  alt={a.name}
                  width={a.width ?? undefined}
                  height={a.height ?? undefined}
                  loading="lazy"
                  className="h-28 w-auto max-w-56 rounded-lg border border-border object-cover"
                />
              </a>
            ) : (
              <a
                href={url}
                download={a.name}
                className="flex items-center gap-2 rounded-lg border border-border bg-surface px-2.5 py-1.5 text-xs text-fg hover:bg-surface-muted"
              >
                <FileText aria-hidden="true" className="size-4 text-fg-muted" />
                <span className="max-w-48 truncate font-medium">{a.name}</span>
                <span className="text-fg-muted">{formatBytes(a.sizeBytes)}</span>
              </a>
            )}
          </li>
        );
      })}
    </ul>
  );
}
