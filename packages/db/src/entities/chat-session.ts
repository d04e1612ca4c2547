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
  },
});

export class ChatSession extends ChatSessionSchema.class {}
ChatSessionSchema.setClass(ChatSession);
