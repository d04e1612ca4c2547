import { t } from "@lingui/core/macro";
import { useCallback, useEffect, useRef, useState } from "react";

/** A file on its way into a message: uploading, ready (uploaded) or refused. */
export interface DraftAttachment {
  key: number;
  name: string;
  size: number;
  /** An object URL showing an image before it is sent (revoked when it goes). */
  preview: string | null;
  status: "uploading" | "ready" | "failed";
  attachmentId: string | null;
  error: string | null;
}

export interface AttachmentDraft {
  items: DraftAttachment[];
  add(files: Iterable<File>): void;
  remove(key: number): void;
  /** Ids of the uploaded files (for sessions.send); empties the draft. */
  take(): string[];
  /** Puts the files last taken back (the send was refused: they are still unsent). */
  restore(): void;
  uploading: boolean;
}

/** The refusal shown when the server gave no reason (or could not be reached). */
const uploadFailed = () => t`The file couldn't be uploaded. Check your connection and try again.`;

/** POST /api/attachments with the session cookie; the server's message on a refusal. */
async function upload(file: File): Promise<string> {
  const form = new FormData();
  form.append("file", file, file.name);
  const response = await fetch("/api/attachments", {
    method: "POST",
    body: form,
    credentials: "same-origin",
  });
  const body = (await response.json().catch(() => null)) as {
    attachmentId?: string;
    error?: { message?: string };
  } | null;
  if (response.ok && body?.attachmentId) return body.attachmentId;
  throw new Error(
    body?.error?.message ?? t`The file couldn't be uploaded. Check your connection and try again.`,
  );
}

const revoke = (list: DraftAttachment[]) => {
  for (const item of list) if (item.preview) URL.revokeObjectURL(item.preview);
};

/**
 * The composer's attachments: each file uploads as soon as it is added (so the server checks it
 * at once and the error shows on its chip); at most `maxPerMessage` are kept.
 */
export function useAttachmentDraft(limits: { maxPerMessage: number } | undefined): AttachmentDraft {
  const [items, setItems] = useState<DraftAttachment[]>([]);
  const nextKey = useRef(1);
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const taken = useRef<DraftAttachment[]>([]);
  useEffect(
    () => () => {
      revoke(itemsRef.current);
      revoke(taken.current);
    },
    [],
  );

  const update = useCallback(
    (key: number, change: Partial<DraftAttachment>) =>
      setItems((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item))),
    [],
  );

  const add = useCallback(
    (files: Iterable<File>) => {
      const room = (limits?.maxPerMessage ?? 5) - itemsRef.current.length;
      const added = [...files].slice(0, Math.max(0, room)).map((file): DraftAttachment & { file: File } => ({
        key: nextKey.current++,
        file,
        name: file.name || t`pasted image`,
        size: file.size,
        preview: file.type.startsWith("image/") ? URL.createObjectURL(file) : null,
        status: "uploading",
        attachmentId: null,
        error: null,
      }));
      setItems((current) => [...current, ...added.map(({ file: _, ...item }) => item)]);
      for (const { key, file } of added) {
        upload(file).then(
          (attachmentId) => update(key, { status: "ready", attachmentId }),
          (error: unknown) =>
            update(key, { status: "failed", error: error instanceof Error ? error.message : uploadFailed() }),
        );
      }
    },
    [limits?.maxPerMessage, update],
  );

  const remove = useCallback((key: number) => {
    setItems((current) => {
      const gone = current.find((item) => item.key === key);
      if (gone?.preview) URL.revokeObjectURL(gone.preview);
      return current.filter((item) => item.key !== key);
    });
  }, []);

  const take = useCallback(() => {
    revoke(taken.current);
    taken.current = itemsRef.current.filter((item) => item.attachmentId);
    revoke(itemsRef.current.filter((item) => !item.attachmentId));
    setItems([]);
    return taken.current.flatMap((item) => (item.attachmentId ? [item.attachmentId] : []));
  }, []);

  const restore = useCallback(() => {
    const back = taken.current;
    taken.current = [];
    setItems((current) => (current.length === 0 ? back : current));
  }, []);

  return {
    items,
    add,
    remove,
    take,
    restore,
    uploading: items.some((item) => item.status === "uploading"),
  };
}
