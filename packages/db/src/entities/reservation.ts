import { defineEntity, p } from "@mikro-orm/core";
import { User } from "./user.ts";

export const RESERVATION_STATUSES = ["open", "finalized", "aborted", "expired"] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/**
 * A hold of estimated credits before a model call (the original design's "streaming session").
 * The price is copied in at creation, so a later price change never alters what this call costs.
 * Settling it (finalize, abort, or expiry by the sweeper) happens once; the outcome is stored so a
 * repeated settle returns the same answer.
 */
export const ReservationSchema = defineEntity({
  name: "Reservation",
  tableName: "reservations",
  indexes: [{ properties: ["status", "expiresAt"] }, { properties: ["user", "createdAt"] }],
  properties: {
    id: p.uuid().primary(),
    user: () => p.manyToOne(User).deleteRule("cascade"),
    modelId: p.string().length(200),
    estimatedInputTokens: p.integer(),
    estimatedOutputTokens: p.integer(),
    inputPricePer1k: p.integer(),
    outputPricePer1k: p.integer(),
    /** The model's prompt-cache prices when reserved (credits per million tokens); null: not cached. */
    cacheReadPricePer1m: p.integer().nullable(),
    cacheWritePricePer1m: p.integer().nullable(),
    /** Tokens of a chat turn read from / written to Bedrock's prompt cache, charged at those prices. */
    cacheReadTokens: p.integer().default(0),
    cacheWriteTokens: p.integer().default(0),
    held: p.bigint("number"),
    status: p.enum(RESERVATION_STATUSES).default("open"),
    createdAt: p.datetime().defaultRaw("now()"),
    expiresAt: p.datetime(),
    settledAt: p.datetime().nullable(),
    inputTokens: p.integer().nullable(),
    outputTokens: p.integer().nullable(),
    /** What the tokens cost at the reservation's price. */
    cost: p.bigint("number").nullable(),
    /** What was actually taken: the cost, or less when the account could not cover it. */
    captured: p.bigint("number").nullable(),
    shortfall: p.bigint("number").nullable(),
    balanceAfter: p.bigint("number").nullable(),
    success: p.boolean().nullable(),
    usageRecordId: p.uuid().nullable(),
    /** "chat": held by a chat answer and settled only by the server; "api": by the caller. */
    owner: p.enum(["api", "chat"] as const).default("api"),
  },
});

export class Reservation extends ReservationSchema.class {}
ReservationSchema.setClass(Reservation);
