import { DomainError } from "@parley/core";
import type { Database } from "@parley/db";
import type { ModelSpec } from "../configuration.ts";
import type { HistoryMessage } from "../history.ts";
import { type InspectedAttachment, inspectUpload, type UploadedFile } from "./inspect.ts";
import {
  type AttachmentInfo,
  attachmentsByIds,
  attachmentsOfMessages,
  deleteUnsentAttachments,
  ownAttachment,
  type StoredAttachment,
  saveAttachment,
  storedAttachmentsOfMessage,
  unsentAttachments,
} from "./store.ts";

export interface AttachmentSettings {
  /** The largest file accepted, in bytes (ATTACHMENT_MAX_BYTES). */
  maxBytes: number;
  /** Attachments one message may carry (ATTACHMENTS_MAX_PER_MESSAGE). */
  maxPerMessage: number;
  /** Uploads not sent within this long are deleted (ATTACHMENT_UNSENT_TTL_SECONDS). */
  unsentTtlSeconds: number;
}

export const DEFAULT_ATTACHMENT_SETTINGS: AttachmentSettings = {
  maxBytes: 3_750_000,
  maxPerMessage: 5,
  unsentTtlSeconds: 86_400,
};

/** How often each process deletes expired unsent uploads. */
const SWEEP_MS = 10 * 60_000;

/**
 * Files and images on chat messages: checked and stored at upload (before anything is charged),
 * checked again for the model at send, and loaded for the history of later turns.
 */
export class Attachments {
  readonly #db: Database;
  readonly settings: AttachmentSettings;
  #timer: NodeJS.Timeout | null = null;

  constructor(db: Database, settings: AttachmentSettings) {
    this.#db = db;
    this.settings = settings;
  }

  /** Checks and stores an upload of the user's; refusals are 413, 415 or 400 DomainErrors. */
  async upload(userId: string, file: UploadedFile): Promise<AttachmentInfo> {
    const inspected: InspectedAttachment = await inspectUpload(file, this.settings);
    return saveAttachment(this.#db.em.fork(), userId, inspected, file.bytes);
  }

  /** The user's own attachment and its bytes; NOT_FOUND for anyone else's. */
  async read(userId: string, id: string): Promise<StoredAttachment> {
    const found = await ownAttachment(this.#db.em.fork(), userId, id);
    if (!found) throw new DomainError("NOT_FOUND", "No such attachment.");
    return found;
  }

  /**
   * The uploads a send names, checked against the limits and what the model reads. NOT_FOUND for
   * one that is not the user's, already sent or expired (parley_start_turn checks again as it
   * links them, so two sends cannot both take one upload).
   */
  async forSend(userId: string, ids: string[], spec: ModelSpec): Promise<StoredAttachment[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    if (unique.length > this.settings.maxPerMessage) {
      throw new DomainError(
        "BAD_REQUEST",
        `A message may carry at most ${this.settings.maxPerMessage} attachments.`,
        { field: "attachmentIds", maxPerMessage: this.settings.maxPerMessage },
      );
    }
    const found = await unsentAttachments(this.#db.em.fork(), userId, unique);
    if (found.length !== unique.length) {
      throw new DomainError("NOT_FOUND", "Attachment not found (it may have expired or been sent already).", {
        field: "attachmentIds",
      });
    }
    const images = found.some((a) => a.kind === "image");
    const documents = found.some((a) => a.kind === "document");
    if ((images && !spec.accepts.images) || (documents && !spec.accepts.documents)) {
      const what = images && !spec.accepts.images ? "images" : "documents";
      throw new DomainError("BAD_REQUEST", `${spec.displayName} cannot read ${what}. Choose another model.`, {
        field: "attachmentIds",
        modelId: spec.id,
      });
    }
    return found;
  }

  /** The history with its messages' attachments (ids from parley_start_turn) loaded in one query. */
  async withAttachments(
    history: (HistoryMessage & { attachmentIds?: string[] | null })[],
  ): Promise<HistoryMessage[]> {
    const ids = history.flatMap((m) => m.attachmentIds ?? []);
    // Most chats have no files. attachmentsByIds would send no query for them, but the fork its
    // caller makes first is not free (it copies the manager's state: 0.39 ms of a turn's start in
    // a profile of 100 starting at once), so no ids, no fork.
    const byId =
      ids.length > 0 ? await attachmentsByIds(this.#db.em.fork(), ids) : new Map<string, StoredAttachment>();
    return history.map(({ attachmentIds, ...m }) => {
      const attachments = (attachmentIds ?? []).flatMap((id) => byId.get(id) ?? []);
      return attachments.length > 0 ? { ...m, attachments } : m;
    });
  }

  /** The files a stored question carries, to send again when it is edited or answered again. */
  ofQuestion(messageId: string): Promise<StoredAttachment[]> {
    return storedAttachmentsOfMessage(this.#db.em.fork(), messageId);
  }

  /** Each message's attachments, for showing a chat. */
  ofMessages(messageIds: string[]): Promise<Map<string, AttachmentInfo[]>> {
    return attachmentsOfMessages(this.#db.em.fork(), messageIds);
  }

  /** Deletes expired unsent uploads now and then (every process; the DELETE is idempotent). */
  startSweeping(onError: (error: unknown) => void): void {
    const sweep = () =>
      void deleteUnsentAttachments(this.#db.em.fork(), this.settings.unsentTtlSeconds).catch(onError);
    this.#timer = setInterval(sweep, SWEEP_MS);
    this.#timer.unref();
    sweep();
  }

  sweepNow(): Promise<number> {
    return deleteUnsentAttachments(this.#db.em.fork(), this.settings.unsentTtlSeconds);
  }

  stopSweeping(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
