import { defineEntity, p } from "@mikro-orm/core";
import { User } from "./user.ts";

/** A conversation. Deleting is soft (`deletedAt`): it disappears from lists but keeps its charges. */
export const ChatSessionSchema = defineEntity({
  name: "ChatSession",
  tableName: "chat_sessions",
  indexes: [{ properties: ["user", "lastActivityAt"] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    user: () => p.manyToOne(User).deleteRule("cascade"),
    title: p.string().length(200),
    modelId: p.string().length(300),
    createdAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
    lastActivityAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
    deletedAt: p.datetime().nullable(),
    /** The last message of the branch shown and sent to the model (null: no messages yet). */
    activeLeafId: p.uuid().nullable(),
    /** The chat's instructions, sent after the server's system prompt; null: none. */
    systemPrompt: p.text().nullable(),
    /** The chat's sampling temperature and maximum answer length; null: the model's defaults. */
    temperature: p.float().nullable(),
    maxTokens: p.integer().nullable(),
    /** The secret of the read-only share link (192 random bits); null when not shared. */
    shareId: p.string().length(64).nullable().unique(),
    sharedAt: p.datetime().nullable(),
  },
});

export class ChatSession extends ChatSessionSchema.class {}
ChatSessionSchema.setClass(ChatSession);
