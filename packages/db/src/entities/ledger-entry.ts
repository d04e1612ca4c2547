import { defineEntity, p } from "@mikro-orm/core";
import { User } from "./user.ts";

export const LEDGER_ENTRY_TYPES = [
  "allocate",
  "set",
  "adjust",
  "remove",
  "reserve",
  "capture",
  "release",
  "expire",
  "refund",
] as const;
export type LedgerEntryType = (typeof LEDGER_ENTRY_TYPES)[number];

/**
 * The append-only record of every movement. `amount` is the signed change to the balance and
 * `heldDelta` the signed change to the held credits, so for every account
 *   Σ amount = balance   and   Σ heldDelta = held.
 * A trigger (see the migration) refuses UPDATE and DELETE on this table.
 */
export const LedgerEntrySchema = defineEntity({
  name: "LedgerEntry",
  tableName: "ledger_entries",
  indexes: [{ properties: ["user", "id"] }, { properties: ["reservationId"] }],
  checks: [
    { name: "ledger_entries_balance_after_nonnegative", expression: "balance_after >= 0" },
    { name: "ledger_entries_held_after_nonnegative", expression: "held_after >= 0" },
  ],
  properties: {
    id: p.bigint("number").primary().autoincrement(),
    user: () => p.manyToOne(User).deleteRule("cascade"),
    type: p.enum(LEDGER_ENTRY_TYPES),
    amount: p.bigint("number"),
    heldDelta: p.bigint("number").default(0),
    balanceAfter: p.bigint("number"),
    heldAfter: p.bigint("number"),
    /** Who moved the credits: the user themselves, an admin, or null for the system (expiry, sweeper). */
    actor: () => p.manyToOne(User).nullable().deleteRule("set null"),
    grantId: p.uuid().nullable(),
    reservationId: p.uuid().nullable(),
    usageRecordId: p.uuid().nullable(),
    notes: p.string().length(500).nullable(),
    createdAt: p.datetime().defaultRaw("now()"),
  },
});

export class LedgerEntry extends LedgerEntrySchema.class {}
LedgerEntrySchema.setClass(LedgerEntry);
