import { defineEntity, p } from "@mikro-orm/core";
import { User } from "./user.ts";

/**
 * Chat settings a user saved to reuse: instructions, temperature, maximum answer length and
 * optionally a model. A published preset (only admins publish) is offered to everyone.
 */
export const ChatPresetSchema = defineEntity({
  name: "ChatPreset",
  tableName: "chat_presets",
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    user: () => p.manyToOne(User).deleteRule("cascade"),
    name: p.string().length(100),
    systemPrompt: p.text().default(""),
    temperature: p.float().nullable(),
    maxTokens: p.integer().nullable(),
    modelId: p.string().length(300).nullable(),
    published: p.boolean().default(false),
    createdAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
  },
});

export class ChatPreset extends ChatPresetSchema.class {}
ChatPresetSchema.setClass(ChatPreset);
