import { DomainError } from "@parley/core";
import { ChatMessage, type EntityManager } from "@parley/db";

// A chat is a tree of messages (`parent_id`); the chat's `active_leaf_id` ends the branch it shows
// and the model reads. Editing a question or regenerating an answer adds a sibling (see
// parley_start_turn); switching versions moves the active leaf.

/** A message of one of the user's live chats, with the question an answer replies to. */
export interface BranchMessage {
  id: string;
  sessionId: string;
  role: "user" | "assistant";
  /** The question it answers (an answer) or its own text (a question). */
  question: string;
  /** That question's id. */
  questionId: string;
}

/** The message, or NOT_FOUND: also for another user's message and one in a deleted chat. */
export async function branchMessage(
  em: EntityManager,
  userId: string,
  messageId: string,
): Promise<BranchMessage> {
  const [row] = await em.execute<
    {
      id: string;
      session_id: string;
      role: "user" | "assistant";
      content: string;
      question: string | null;
      question_id: string | null;
    }[]
  >(
    `select m.id, m.session_id, m.role, m.content, q.content as question, q.id as question_id
       from chat_messages m
       join chat_sessions s on s.id = m.session_id
       left join chat_messages q on q.id = m.parent_id
      where m.id = ? and s.user_id = ? and s.deleted_at is null`,
    [messageId, userId],
  );
  if (!row) throw new DomainError("NOT_FOUND", "Message not found.", { field: "messageId" });
  const question = row.role === "user" ? row.content : row.question;
  const questionId = row.role === "user" ? row.id : row.question_id;
  if (question === null || questionId === null) {
    throw new DomainError("BAD_REQUEST", "This answer has no question to answer again.", {
      field: "messageId",
    });
  }
  return { id: row.id, sessionId: row.session_id, role: row.role, question, questionId };
}

/**
 * Shows another version: the chat's active leaf becomes the newest message at the end of the
 * branch through `messageId` (following the newest reply at each step), so the version's own
 * answers come with it. Returns the new leaf.
 */
export async function switchBranch(
  em: EntityManager,
  userId: string,
  messageId: string,
): Promise<{ sessionId: string; activeLeafId: string }> {
  const target = await branchMessage(em, userId, messageId);
  const [row] = await em.execute<{ leaf: string }[]>(
    `with recursive down as (
       select id, 0 as depth from chat_messages where id = ?
       union all
       select newest.id, down.depth + 1
         from down
         cross join lateral (select c.id from chat_messages c where c.parent_id = down.id
                              order by c.created_at desc, c.id desc limit 1) newest)
     update chat_sessions set active_leaf_id = (select id from down order by depth desc limit 1)
      where id = ?
     returning active_leaf_id as leaf`,
    [target.id, target.sessionId],
  );
  return { sessionId: target.sessionId, activeLeafId: row?.leaf ?? target.id };
}

interface BranchRow {
  id: string;
  sibling_ids: string[];
}

/** A message of the active branch, with its versions. */
export interface BranchEntry {
  message: ChatMessage;
  /** Its siblings, itself included, in the order they were written. */
  siblingIds: string[];
}

/**
 * The newest `limit` messages of the active branch, oldest first, with each one's versions (its
 * siblings, itself included, in the order they were written).
 */
export async function activeBranch(
  em: EntityManager,
  sessionId: string,
  limit: number,
): Promise<BranchEntry[]> {
  const rows = await em.execute<BranchRow[]>(
    `with recursive branch as (
       select m.id, m.parent_id, 0 as depth
         from chat_sessions s join chat_messages m on m.id = s.active_leaf_id
        where s.id = ?
       union all
       select m.id, m.parent_id, b.depth + 1
         from chat_messages m join branch b on m.id = b.parent_id
        where b.depth + 1 < ?)
     select b.id, b.parent_id, b.depth,
            array(select v.id from chat_messages v
                   where v.session_id = ? and v.parent_id is not distinct from b.parent_id
                   order by v.created_at, v.id)::text[] as sibling_ids
       from branch b
      order by b.depth desc`,
    [sessionId, limit, sessionId],
  );
  const found = await em.find(ChatMessage, { id: { $in: rows.map((r) => r.id) } });
  const byId = new Map(found.map((m) => [m.id, m]));
  return rows.flatMap((row) => {
    const message = byId.get(row.id);
    return message ? [{ message, siblingIds: row.sibling_ids }] : [];
  });
}
