import { defineEntity, p } from "@mikro-orm/core";
import { ChatMessage } from "./chat-message.ts";
import { User } from "./user.ts";

export const FEEDBACK_RATINGS = ["up", "down"] as const;
export type FeedbackRating = (typeof FEEDBACK_RATINGS)[number];

/** A user's thumbs up or down on one of their answers: one per user and answer (re-rating replaces it). */
export const MessageFeedbackSchema = defineEntity({
  name: "MessageFeedback",
  tableName: "message_feedback",
  uniques: [{ properties: ["message", "user"] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    message: () => p.manyToOne(ChatMessage).deleteRule("cascade"),
    user: () => p.manyToOne(User).deleteRule("cascade").index(),
    rating: p.enum(FEEDBACK_RATINGS),
    // MAX_FEEDBACK_COMMENT_LENGTH (@parley/validators); the API refuses longer comments.
    comment: p.string().length(1000).nullable(),
    createdAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .defaultRaw("now()")
      .index()
      .onCreate(() => new Date()),
  },
});

export class MessageFeedback extends MessageFeedbackSchema.class {}
MessageFeedbackSchema.setClass(MessageFeedback);
