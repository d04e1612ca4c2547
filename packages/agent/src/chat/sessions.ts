import { containsPattern, DomainError, toPage } from "@parley/core";
import { ChatMessage, ChatSession, type EntityManager, type StoredToolCall, toDate } from "@parley/db";

export interface SessionSummary {
  id: string;
  title: string;
  modelId: string;
  createdAt: Date;
  lastActivityAt: Date;
  messageCount: number;
  lastMessagePreview: string | null;
}

export interface MessageView {
  id: string;
  role: "user" | "assistant";
  content: string;
  status: "complete" | "incomplete" | "failed";
  modelId: string | null;
  toolCalls: StoredToolCall[];
  inputTokens: number;
  outputTokens: number;
  credits: number;
  error: string | null;
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
            (select left(m.content, 140) from chat_messages m where m.session_id = s.id
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
    lastMessagePreview: r.preview,
  }));
  return toPage(items, total, query);
}

export async function getSession(
  em: EntityManager,
  input: { userId: string; sessionId: string; messageLimit: number },
): Promise<{ session: SessionSummary; messages: MessageView[] }> {
  const session = await ownedSession(em, input.userId, input.sessionId);
  const newest = await em.find(
    ChatMessage,
    { session: session.id },
    { orderBy: { createdAt: "desc", id: "desc" }, limit: input.messageLimit },
  );
  const messages = newest.reverse().map(toMessageView);
  const messageCount = await em.count(ChatMessage, { session: session.id });
  return {
    session: {
      id: session.id,
      title: session.title,
      modelId: session.modelId,
      createdAt: session.createdAt,
      lastActivityAt: session.lastActivityAt,
      messageCount,
      lastMessagePreview: messages[messages.length - 1]?.content.slice(0, 140) ?? null,
    },
    messages,
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

export function toMessageView(m: ChatMessage): MessageView {
  return {
    id: m.id,
    role: m.role,
    content: m.content,
    status: m.status,
    modelId: m.modelId ?? null,
    toolCalls: m.toolCalls ?? [],
    inputTokens: m.inputTokens,
    outputTokens: m.outputTokens,
    credits: m.credits,
    error: m.error ?? null,
    createdAt: m.createdAt,
  };
}
