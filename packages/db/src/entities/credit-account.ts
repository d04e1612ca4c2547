import { defineEntity, p } from "@mikro-orm/core";
import { User } from "./user.ts";

/**
 * One row per user: the running totals the ledger sums to. Every movement of credits locks this
 * row first (SELECT … FOR UPDATE), which serialises movements per account; the check constraints
 * make a negative balance impossible even if the code were wrong.
 */
export const CreditAccountSchema = defineEntity({
  name: "CreditAccount",
  tableName: "credit_accounts",
  checks: [
    { name: "credit_accounts_balance_nonnegative", expression: "balance >= 0" },
    { name: "credit_accounts_held_nonnegative", expression: "held >= 0" },
  ],
  properties: {
    user: () => p.oneToOne(User).primary().deleteRule("cascade"),
    /** All unexpired credits: the sum of the remaining amounts of unexpired grants. */
    balance: p.bigint("number").default(0),
    /** Credits held by open reservations. */
    held: p.bigint("number").default(0),
    /** Earliest expiry among unexpired grants: expiry runs when this is in the past. */
    nextExpiryAt: p.datetime().nullable(),
    updatedAt: p.datetime().defaultRaw("now()"),
  },
});

export class CreditAccount extends CreditAccountSchema.class {}
CreditAccountSchema.setClass(CreditAccount);
