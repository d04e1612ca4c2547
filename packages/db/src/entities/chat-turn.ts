import { defineEntity, p } from "@mikro-orm/core";
import { ChatSession } from "./chat-session.ts";
import { User } from "./user.ts";

export const TURN_STATUSES = ["running", "done", "stopped", "failed", "interrupted"] as const;
export type TurnStatus = (typeof TURN_STATUSES)[number];

/**
 * One answer being (or having been) written. The process that runs it (`owner`) beats its row in
 * `chat_turn_owners` and checkpoints the turn's tokens and text every few seconds; when its
 * owner's heartbeat goes stale, any process settles the turn from that checkpoint. Its reservation
 * has the turn's id. Written by the parley_start_turn / parley_finish_turn functions and the
 * owner's checkpoints.
 */
export const ChatTurnSchema = defineEntity({
  name: "ChatTurn",
  tableName: "chat_turns",
  properties: {
    id: p.uuid().primary(),
    user: () => p.manyToOne(User).deleteRule("cascade"),
    session: () => p.manyToOne(ChatSession).deleteRule("cascade").nullable(),
    userMessageId: p.uuid().nullable(),
    /** The client's idempotency key: a retried send with the same id returns this turn. */
    clientRequestId: p.uuid().nullable(),
    modelId: p.string().length(300),
    status: p.enum(TURN_STATUSES).default("running"),
    /** The server process running the turn (host:pid:random). */
    owner: p.string().length(200),
    promptEstimate: p.integer().default(0),
    inputTokens: p.integer().default(0),
    outputTokens: p.integer().default(0),
    /** Checkpointed tokens read from / written to the prompt cache (inputTokens excludes them). */
    cacheReadTokens: p.integer().default(0),
    cacheWriteTokens: p.integer().default(0),
    /** The answer so far (checkpointed), then the whole answer. */
    partial: p.text().default(""),
    toolCalls: p.json<unknown[]>().nullable(),
    errorCode: p.string().length(50).nullable(),
    assistantMessageId: p.uuid().nullable(),
    credits: p.bigint("number").nullable(),
    createdAt: p.datetime().defaultRaw("now()"),
    finishedAt: p.datetime().nullable(),
  },
});

export class ChatTurn extends ChatTurnSchema.class {}
ChatTurnSchema.setClass(ChatTurn);
