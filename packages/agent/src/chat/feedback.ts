import { DomainError, type Page, toPage } from "@parley/core";
import { ChatMessage, type EntityManager, type FeedbackRating, toDate } from "@parley/db";
import { plainText } from "./plain-text.ts";
import { ownedSession } from "./sessions.ts";

export interface FeedbackView {
  messageId: string;
  rating: FeedbackRating;
  comment: string | null;
  updatedAt: Date;
}

/** One row of the admin's feedback list: the rating, what was rated, and who rated it. */
export interface FeedbackListItem {
  id: string;
  rating: FeedbackRating;
  comment: string | null;
  modelId: string | null;
  messageId: string;
  /** The rated answer and the question before it, as plain text cut at 300 characters. */
  answerExcerpt: string;
  questionExcerpt: string | null;
  session: { id: string; title: string };
  user: { id: string; email: string; displayName: string };
  createdAt: Date;
  updatedAt: Date;
}

const EXCERPT_CHARS = 300;

/**
 * Rates one of the caller's own answers (re-rating replaces the rating and the comment). Other
 * people's messages, deleted chats and unknown ids are NOT_FOUND; the caller's own questions are
 * BAD_REQUEST. One row per user and answer, by a unique constraint and an upsert.
 */
export async function rateMessage(
  em: EntityManager,
  input: { userId: string; messageId: string; rating: FeedbackRating; comment?: string | undefined },
): Promise<FeedbackView> {
  const message = await em.findOne(ChatMessage, {
    id: input.messageId,
    session: { user: input.userId, deletedAt: null },
  });
  if (!message) throw new DomainError("NOT_FOUND", "Message not found.");
  if (message.role !== "assistant") throw new DomainError("BAD_REQUEST", "Only answers can be rated.");
  const comment = input.comment?.trim() || null;
  const [row] = await em.execute<
    { rating: FeedbackRating; comment: string | null; updated_at: Date | string }[]
  >(
    `insert into message_feedback (id, message_id, user_id, rating, comment)
     values (?, ?, ?, ?, ?)
     on conflict (message_id, user_id)
     do update set rating = excluded.rating, comment = excluded.comment, updated_at = now()
     returning rating, comment, updated_at`,
    [crypto.randomUUID(), message.id, input.userId, input.rating, comment],
  );
  if (!row) throw new Error("message_feedback upsert returned no row");
  return {
    messageId: message.id,
    rating: row.rating,
    comment: row.comment,
    updatedAt: toDate(row.updated_at),
  };
}

/** The caller's ratings on the answers of one of their chats. */
export async function feedbackForSession(
  em: EntityManager,
  userId: string,
  sessionId: string,
): Promise<FeedbackView[]> {
  const session = await ownedSession(em, userId, sessionId);
  const rows = await em.execute<
    { message_id: string; rating: FeedbackRating; comment: string | null; updated_at: Date | string }[]
  >(
    `select f.message_id, f.rating, f.comment, f.updated_at
       from message_feedback f join chat_messages m on m.id = f.message_id
      where m.session_id = ? and f.user_id = ?
      order by m.created_at, m.id`,
    [session.id, userId],
  );
  return rows.map((r) => ({
    messageId: r.message_id,
    rating: r.rating,
    comment: r.comment,
    updatedAt: toDate(r.updated_at),
  }));
}

export interface FeedbackQuery {
  page: number;
  size: number;
  rating?: FeedbackRating | undefined;
  modelId?: string | undefined;
  userId?: string | undefined;
  /** Only ratings that carry a comment. */
  withComment?: boolean | undefined;
}

/** Every rating, newest first, for admins; deleted chats' ratings stay (the answer was rated). */
export async function listFeedback(em: EntityManager, query: FeedbackQuery): Promise<Page<FeedbackListItem>> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (query.rating) {
    conditions.push("f.rating = ?");
    params.push(query.rating);
  }
  if (query.modelId) {
    conditions.push("m.model_id = ?");
    params.push(query.modelId);
  }
  if (query.userId) {
    conditions.push("f.user_id = ?");
    params.push(query.userId);
  }
  if (query.withComment) conditions.push("f.comment is not null");
  const where = conditions.length ? `where ${conditions.join(" and ")}` : "";
  const from = `from message_feedback f join chat_messages m on m.id = f.message_id`;
  const rows = await em.execute<FeedbackRow[]>(
    `select f.id, f.rating, f.comment, f.created_at, f.updated_at, m.id as message_id, m.model_id,
            left(m.content, 1000) as answer,
            (select left(q.content, 1000) from chat_messages q
              where q.session_id = m.session_id and q.role = 'user' and (q.created_at, q.id) < (m.created_at, m.id)
              order by q.created_at desc, q.id desc limit 1) as question,
            s.id as session_id, s.title as session_title,
            u.id as user_id, u.email, u.display_name
       ${from}
       join chat_sessions s on s.id = m.session_id
       join users u on u.id = f.user_id
       ${where}
      order by f.updated_at desc, f.id desc
      limit ? offset ?`,
    [...params, query.size, (query.page - 1) * query.size],
  );
  const [count] = await em.execute<{ n: string }[]>(`select count(*) as n ${from} ${where}`, params);
  return toPage(rows.map(toListItem), Number(count?.n ?? 0), query);
}

interface FeedbackRow {
  id: string;
  rating: FeedbackRating;
  comment: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  message_id: string;
  model_id: string | null;
  answer: string;
  question: string | null;
  session_id: string;
  session_title: string;
  user_id: string;
  email: string;
  display_name: string;
}

function toListItem(r: FeedbackRow): FeedbackListItem {
  return {
    id: r.id,
    rating: r.rating,
    comment: r.comment,
    modelId: r.model_id,
    messageId: r.message_id,
    answerExcerpt: plainText(r.answer, EXCERPT_CHARS),
    questionExcerpt: r.question === null ? null : plainText(r.question, EXCERPT_CHARS),
    session: { id: r.session_id, title: r.session_title },
    user: { id: r.user_id, email: r.email, displayName: r.display_name },
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}
