import type { ParleyClientOptions } from "./index.ts";

/** What `POST /api/attachments` answers: pass `attachmentId` to `sessions.send({ attachmentIds })`. */
export interface UploadedAttachment {
  attachmentId: string;
  name: string;
  mediaType: string;
  format: "png" | "jpeg" | "gif" | "webp" | "pdf" | "csv" | "docx" | "txt" | "md" | "html";
  kind: "image" | "document";
  sizeBytes: number;
  width: number | null;
  height: number | null;
}

/** A refused upload: `code` is 413's PAYLOAD_TOO_LARGE, 415's UNSUPPORTED_MEDIA_TYPE, BAD_REQUEST… */
export class ParleyUploadError extends Error {
  readonly code: string;
  readonly status: number;
  readonly detail: Record<string, unknown>;

  constructor(status: number, code: string, message: string, detail: Record<string, unknown> = {}) {
    super(message);
    this.name = "ParleyUploadError";
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

/**
 * Uploads a file or image for a chat message (multipart `POST /api/attachments`, authenticated
 * like the client: the bearer token, or — in a browser page of Parley's own origin — its cookie):
 *
 *     const { attachmentId } = await uploadAttachment({ url, token }, new Blob([bytes]), "report.pdf");
 *     await client.sessions.send.mutate({ sessionId, content: "Summarise this", attachmentIds: [attachmentId] });
 */
export async function uploadAttachment(
  options: Pick<ParleyClientOptions, "url" | "token" | "fetch" | "headers">,
  file: Blob,
  name = file instanceof File ? file.name : "attachment",
): Promise<UploadedAttachment> {
  const token = typeof options.token === "function" ? options.token() : options.token;
  const form = new FormData();
  form.append("file", file, name);
  const response = await (options.fetch ?? fetch)(`${options.url.replace(/\/+$/, "")}/api/attachments`, {
    method: "POST",
    body: form,
    headers: { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body as UploadedAttachment;
  const error = (
    body as { error?: { code?: string; message?: string; detail?: Record<string, unknown> } } | null
  )?.error;
  throw new ParleyUploadError(
    response.status,
    error?.code ?? "INTERNAL_SERVER_ERROR",
    error?.message ?? `Upload failed (HTTP ${response.status}).`,
    error?.detail ?? {},
  );
}
