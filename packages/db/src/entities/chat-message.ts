import { defineEntity, p } from "@mikro-orm/core";
import { ChatSession } from "./chat-session.ts";

export const MESSAGE_ROLES = ["user", "assistant"] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];
export const MESSAGE_STATUSES = ["complete", "incomplete", "failed"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** One tool call the model made while answering, with its result. */
export interface StoredToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
  result: string | null;
}

/**
 * A message of a session. An assistant message records what the user saw (even when the answer
 * was cut short: `incomplete`, or ended by an error: `failed`), the tools it used, and its cost.
 * Messages form a tree through `parentId`: an edited question or a regenerated answer is a sibling.
 */
export const ChatMessageSchema = defineEntity({
  name: "ChatMessage",
  tableName: "chat_messages",
  indexes: [{ properties: ["session", "createdAt"] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    session: () => p.manyToOne(ChatSession).deleteRule("cascade"),
    /** The message this one follows (null: a first message); siblings are versions of each other. */
    parentId: p.uuid().nullable(),
    role: p.enum(MESSAGE_ROLES),
    content: p.text(),
    status: p.enum(MESSAGE_STATUSES).default("complete"),
    modelId: p.string().length(300).nullable(),
    toolCalls: p.json<StoredToolCall[]>().nullable(),
    inputTokens: p.integer().default(0),
    outputTokens: p.integer().default(0),
    credits: p.bigint("number").default(0),
    reservationId: p.uuid().nullable(),
    error: p.string().length(1000).nullable(),
    /**
     * The text for full-text search (sessions.search): `to_tsvector('simple', content)`, kept by
     * PostgreSQL itself (stored generated column, GIN index). Never written, and lazy, so loading
     * messages does not carry it.
     */
    searchVector: p
      .string()
      .columnType("tsvector")
      .generated("(to_tsvector('simple', content)) stored")
      .persist(false)
      .lazy()
      .hidden()
      .nullable(),
    createdAt: p
      .datetime(6)
      .defaultRaw("now()")
      .onCreate(() => new Date()),
  },
});

export class ChatMessage extends ChatMessageSchema.class {}
ChatMessageSchema.setClass(ChatMessage);
