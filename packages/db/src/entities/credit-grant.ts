import { defineEntity, p } from "@mikro-orm/core";
import { User } from "./user.ts";

// "demo": welcome credits of demo mode, removed when the server starts outside demo mode.
export const GRANT_SOURCES = ["allocate", "adjust", "set", "refund", "demo"] as const;
export type GrantSource = (typeof GRANT_SOURCES)[number];

/**
 * Credits given to a user. Spending consumes the grant that expires soonest first; once expired,
 * its remainder leaves the balance through an `expire` ledger entry and `expired` is set.
 */
export const CreditGrantSchema = defineEntity({
  name: "CreditGrant",
  tableName: "credit_grants",
  indexes: [{ properties: ["user", "expired", "expiresAt"] }],
  checks: [
    { name: "credit_grants_amount_positive", expression: "amount > 0" },
    { name: "credit_grants_remaining_range", expression: "remaining >= 0 and remaining <= amount" },
  ],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    user: () => p.manyToOne(User).deleteRule("cascade"),
    amount: p.bigint("number"),
    remaining: p.bigint("number"),
    expiresAt: p.datetime().nullable(),
    expired: p.boolean().default(false),
    source: p.enum(GRANT_SOURCES),
    notes: p.string().length(500).nullable(),
    grantedBy: () => p.manyToOne(User).nullable().deleteRule("set null"),
    createdAt: p.datetime().defaultRaw("now()"),
  },
});

export class CreditGrant extends CreditGrantSchema.class {}
CreditGrantSchema.setClass(CreditGrant);
