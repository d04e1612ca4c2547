import { defineEntity, p } from "@mikro-orm/core";
import { USER_ROLES, User } from "./user.ts";

/**
 * A single-use, expiring invitation to register. The link carries a random token; only its
 * SHA-256 hash (hex) is stored. `email`, when set, is the only address that may use it.
 */
export const InvitationSchema = defineEntity({
  name: "Invitation",
  tableName: "invitations",
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    tokenHash: p.string().length(64).unique(),
    email: p.string().length(254).nullable(),
    role: p.enum(USER_ROLES).default("user"),
    expiresAt: p.datetime(),
    createdBy: () => p.manyToOne(User).nullable().deleteRule("set null"),
    createdAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
    usedAt: p.datetime().nullable(),
    usedBy: () => p.manyToOne(User).nullable().deleteRule("set null"),
    revokedAt: p.datetime().nullable(),
  },
});

export class Invitation extends InvitationSchema.class {}
InvitationSchema.setClass(Invitation);
