import type { EntityManager } from "@parley/db";
import { toDate } from "@parley/db";
import type { AttachmentFormat, AttachmentKind } from "./formats.ts";
import type { InspectedAttachment } from "./inspect.ts";

// chat_attachments (see its migration): uploads are stored whole in PostgreSQL, so every server
// process can read them; parley_start_turn links them to the message they are sent with.

/** What the API shows of an attachment. */
export interface AttachmentInfo {
  id: string;
  name: string;
  mediaType: string;
  format: AttachmentFormat;
  kind: AttachmentKind;
  sizeBytes: number;
  width: number | null;
  height: number | null;
}

/** An attachment with its bytes, for the model (or to serve back). */
export interface StoredAttachment extends AttachmentInfo {
  tokenEstimate: number;
  data: Uint8Array;
  createdAt: Date;
}

const INFO_COLUMNS = "id, name, media_type, format, kind, size_bytes, width, height";

interface RawInfo {
  id: string;
  name: string;
  media_type: string;
  format: AttachmentFormat;
  kind: AttachmentKind;
  size_bytes: number;
  width: number | null;
  height: number | null;
}

interface RawStored extends RawInfo {
  token_estimate: number;
  data: Uint8Array;
  created_at: Date | string;
}

const toInfo = (r: RawInfo): AttachmentInfo => ({
  id: r.id,
  name: r.name,
  mediaType: r.media_type,
  format: r.format,
  kind: r.kind,
  sizeBytes: r.size_bytes,
  width: r.width,
  height: r.height,
});

const toStored = (r: RawStored): StoredAttachment => ({
  ...toInfo(r),
  tokenEstimate: r.token_estimate,
  data: r.data,
  createdAt: toDate(r.created_at),
});

export async function saveAttachment(
  em: EntityManager,
  userId: string,
  inspected: InspectedAttachment,
  bytes: Uint8Array,
): Promise<AttachmentInfo> {
  const id = crypto.randomUUID();
  await em.execute(
    `insert into chat_attachments (id, user_id, name, media_type, format, kind, size_bytes, width, height,
                                   token_estimate, data)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      userId,
      inspected.name,
      inspected.mediaType,
      inspected.format,
      inspected.kind,
      inspected.sizeBytes,
      inspected.width,
      inspected.height,
      inspected.tokenEstimate,
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    ],
  );
  const { tokenEstimate: _, ...info } = inspected;
  return { id, ...info };
}

/** The user's attachment with its bytes (sent or not), or null (also for another user's). */
export async function ownAttachment(
  em: EntityManager,
  userId: string,
  id: string,
): Promise<StoredAttachment | null> {
  const [row] = await em.execute<RawStored[]>(
    `select ${INFO_COLUMNS}, token_estimate, data, created_at from chat_attachments where id = ? and user_id = ?`,
    [id, userId],
  );
  return row ? toStored(row) : null;
}

/** The user's unattached uploads among `ids` (a send's), with their bytes, in the order asked. */
export async function unsentAttachments(
  em: EntityManager,
  userId: string,
  ids: string[],
): Promise<StoredAttachment[]> {
  if (ids.length === 0) return [];
  const rows = await em.execute<RawStored[]>(
    `select ${INFO_COLUMNS}, token_estimate, data, created_at from chat_attachments
      where id in (${ids.map(() => "?").join(", ")}) and user_id = ? and message_id is null`,
    [...ids, userId],
  );
  const byId = new Map(rows.map((r) => [r.id, toStored(r)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Attachments by id with their bytes (the history's: ids parley_start_turn read for the user). */
export async function attachmentsByIds(
  em: EntityManager,
  ids: string[],
): Promise<Map<string, StoredAttachment>> {
  if (ids.length === 0) return new Map();
  const rows = await em.execute<RawStored[]>(
    `select ${INFO_COLUMNS}, token_estimate, data, created_at from chat_attachments
      where id in (${ids.map(() => "?").join(", ")})`,
    ids,
  );
  return new Map(rows.map((r) => [r.id, toStored(r)]));
}

/** One message's attachments with their bytes, oldest first (a question edited or answered again). */
export async function storedAttachmentsOfMessage(
  em: EntityManager,
  messageId: string,
): Promise<StoredAttachment[]> {
  const rows = await em.execute<RawStored[]>(
    `select ${INFO_COLUMNS}, token_estimate, data, created_at from chat_attachments
      where message_id = ? order by created_at, id`,
    [messageId],
  );
  return rows.map(toStored);
}

/** Each message's attachments (without bytes), oldest first. */
export async function attachmentsOfMessages(
  em: EntityManager,
  messageIds: string[],
): Promise<Map<string, AttachmentInfo[]>> {
  const result = new Map<string, AttachmentInfo[]>();
  if (messageIds.length === 0) return result;
  const rows = await em.execute<(RawInfo & { message_id: string })[]>(
    `select ${INFO_COLUMNS}, message_id from chat_attachments
      where message_id in (${messageIds.map(() => "?").join(", ")}) order by created_at, id`,
    messageIds,
  );
  for (const row of rows) {
    const list = result.get(row.message_id) ?? [];
    list.push(toInfo(row));
    result.set(row.message_id, list);
  }
  return result;
}

/** Deletes uploads never sent within `olderThanSeconds`; returns how many. */
export async function deleteUnsentAttachments(em: EntityManager, olderThanSeconds: number): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `delete from chat_attachments
      where message_id is null and created_at < now() - make_interval(secs => ?) returning id`,
    [olderThanSeconds],
  );
  return rows.length;
}
