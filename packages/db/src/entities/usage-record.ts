import { defineEntity, p } from "@mikro-orm/core";
import { User } from "./user.ts";

/** What a service consumed and what it cost, linked to the ledger entry that charged it. */
export const UsageRecordSchema = defineEntity({
  name: "UsageRecord",
  tableName: "usage_records",
  indexes: [{ properties: ["user", "createdAt"] }, { properties: ["createdAt"] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    user: () => p.manyToOne(User).deleteRule("cascade"),
    service: p.string().length(100),
    operation: p.string().length(100),
    modelId: p.string().length(200).nullable(),
    inputTokens: p.integer().default(0),
    outputTokens: p.integer().default(0),
    credits: p.bigint("number"),
    /** Cost the account could not cover (recorded, never charged into the negative). */
    shortfall: p.bigint("number").default(0),
    reservationId: p.uuid().nullable(),
    ledgerEntryId: p.bigint("number").nullable(),
    metadata: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().defaultRaw("now()"),
  },
});

export class UsageRecord extends UsageRecordSchema.class {}
UsageRecordSchema.setClass(UsageRecord);
