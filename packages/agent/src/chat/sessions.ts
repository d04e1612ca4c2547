import { containsPattern, DomainError, toPage } from "@parley/core";
import { ChatMessage, ChatSession, type EntityManager, type StoredToolCall, toDate } from "@parley/db";
import { type AttachmentInfo, attachmentsOfMessages } from "../attachments/store.ts";
import { activeBranch } from "./branches.ts";
import { PREVIEW_SOURCE_CHARS, plainText } from "./plain-text.ts";

export interface SessionSummary {
  id: string;
  title: string;
  modelId: string;
  createdAt: Date;
  lastActivityAt: Date;
  messageCount: number;
  /** The last message as plain text (Markdown stripped), at most 140 characters. */
  lastMessagePreview: string | null;
}

export interface MessageView {
  id: string;
  /** The message this one follows; null for a chat's first message (and its versions). */
  parentId: string | null;
  /**
   * The versions at this place in the chat — this message and its siblings (same parent), in the
   * order they were written; more than one: an edited question or a regenerated answer.
   */
  siblingIds: string[];
  role: "user" | "assistant";
  content: string;
  status: "complete" | "incomplete" | "failed";
  modelId: string | null;
  toolCalls: StoredToolCall[];
  inputTokens: number;
  outputTokens: number;
  credits: number;
  error: string | null;
  /** Files and images the user attached (none on answers). */
  attachments: AttachmentInfo[];
  createdAt: Date;
}

export const DEFAULT_TITLE = "New chat";

/** A short title from the first thing the user said: its first words, at most 60 characters. */
export function titleFrom(content: string): string {
  const words = content.replace(/\s+/g, " ").trim().split(" ").slice(0, 8).join(" ");
  return words.length > 60 ? `${words.slice(0, 57)}…` : words || DEFAULT_TITLE;
}

/** The user's live session, or NOT_FOUND (also for other users' and deleted sessions). */
export async function ownedSession(
  em: EntityManager,
  userId: string,
  sessionId: string,
): Promise<ChatSession> {
  const session = await em.findOne(ChatSession, { id: sessionId, user: userId, deletedAt: null });
  if (!session) throw new DomainError("NOT_FOUND", "Chat session not found.");
  return session;
}

export async function createSession(
  em: EntityManager,
  input: { userId: string; title?: string | undefined; modelId: string },
): Promise<ChatSession> {
  const session = em.create(ChatSession, {
    user: input.userId,
    title: input.title?.trim() || DEFAULT_TITLE,
    modelId: input.modelId,
  });
  await em.flush();
  return session;
}

export async function listSessions(
  em: EntityManager,
  query: { userId: string; page: number; size: number; search?: string | undefined },
) {
  const search = query.search ? containsPattern(query.search) : null;
  const where = `s.user_id = ? and s.deleted_at is null${search ? " and s.title ilike ?" : ""}`;
  const params: unknown[] = search ? [query.userId, search] : [query.userId];
  const rows = await em.execute<
    {
      id: string;
      title: string;
      model_id: string;
      created_at: Date | string;
      last_activity_at: Date | string;
      message_count: string;
      preview: string | null;
    }[]
  >(
    `select s.id, s.title, s.model_id, s.created_at, s.last_activity_at,
            (select count(*) from chat_messages m where m.session_id = s.id) as message_count,
            (select left(m.content, ${PREVIEW_SOURCE_CHARS}) from chat_messages m where m.session_id = s.id
              order by m.created_at desc, m.id desc limit 1) as preview
       from chat_sessions s
      where ${where}
      order by s.last_activity_at desc, s.id
      limit ? offset ?`,
    [...params, query.size, (query.page - 1) * query.size],
  );
  const [count] = await em.execute<{ n: string }[]>(
    `select count(*) as n from chat_sessions s where ${where}`,
    params,
  );
  const total = Number(count?.n ?? 0);
  const items: SessionSummary[] = rows.map((r) => ({
    id: r.id,
    title: r.title,
    modelId: r.model_id,
    createdAt: toDate(r.created_at),
    lastActivityAt: toDate(r.last_activity_at),
    messageCount: Number(r.message_count),
    lastMessagePreview: r.preview === null ? null : plainText(r.preview),
  }));
  return toPage(items, total, query);
}

/**
 * The chat and the newest messages of its active branch (the versions shown, oldest first), each
 * with its versions' ids; `activeLeafId` is the branch's last message (persisted per chat).
 */
export async function getSession(
  em: EntityManager,
  input: { userId: string; sessionId: string; messageLimit: number },
): Promise<{
  session: SessionSummary & { shareId: string | null };
  /** The chat's own instructions and parameters (nulls: none set). */
  settings: { systemPrompt: string | null; temperature: number | null; maxTokens: number | null };
  messages: MessageView[];
  activeLeafId: string | null;
}> {
  const session = await ownedSession(em, input.userId, input.sessionId);
  const branch = await activeBranch(em, session.id, input.messageLimit);
  const views = await messageViews(
    em,
    branch.map((entry) => entry.message),
  );
  const messages = views.map((view, i) => ({ ...view, siblingIds: branch[i]?.siblingIds ?? [view.id] }));
  const messageCount = await em.count(ChatMessage, { session: session.id });
  return {
    session: {
      id: session.id,
      title: session.title,
      modelId: session.modelId,
      createdAt: session.createdAt,
      lastActivityAt: session.lastActivityAt,
      messageCount,
      lastMessagePreview: previewOf(messages[messages.length - 1]?.content),
      // The owner's share link (sessions.share), null when the chat is not shared.
      shareId: session.shareId ?? null,
    },
    settings: {
      systemPrompt: session.systemPrompt ?? null,
      temperature: session.temperature ?? null,
      maxTokens: session.maxTokens ?? null,
    },
    messages,
    activeLeafId: session.activeLeafId ?? null,
  };
}

export async function renameSession(em: EntityManager, userId: string, sessionId: string, title: string) {
  const session = await ownedSession(em, userId, sessionId);
  session.title = title.trim() || DEFAULT_TITLE;
  await em.flush();
  return { id: session.id, title: session.title };
}

/** Soft delete: gone from list and get; its messages and charges stay for accounting. */
export async function deleteSession(em: EntityManager, userId: string, sessionId: string) {
  const session = await ownedSession(em, userId, sessionId);
  session.deletedAt = new Date();
  await em.flush();
  return { id: session.id };
}

function previewOf(content: string | undefined): string | null {
  return content === undefined ? null : plainText(content.slice(0, PREVIEW_SOURCE_CHARS));
}

/** The messages as the API shows them, each with its attachments (one query for all). */
export async function messageViews(em: EntityManager, messages: ChatMessage[]): Promise<MessageView[]> {
  const attachments = await attachmentsOfMessages(
    em,
    messages.filter((m) => m.role === "user").map((m) => m.id),
  );
  return messages.map((m) => toMessageView(m, attachments.get(m.id) ?? []));
}

function toMessageView(m: ChatMessage, attachments: AttachmentInfo[]): MessageView {
  return {
    id: m.id,
    parentId: m.parentId ?? null,
    siblingIds: [m.id],
    role: m.role,
    content: m.content,
    status: m.status,
    modelId: m.modelId ?? null,
    toolCalls: m.toolCalls ?? [],
    inputTokens: m.inputTokens,
    outputTokens: m.outputTokens,
    credits: m.credits,
    error: m.error ?? null,
    attachments,
    createdAt: m.createdAt,
  };
}
