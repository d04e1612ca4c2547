import { defineEntity, p } from "@mikro-orm/core";
import { User } from "./user.ts";

/**
 * A one-time password-reset link: issued by an admin (`createdBy`) or requested by mail (null).
 * Only the SHA-256 hash (hex) of the link's token is stored; it expires and is used at most once.
 */
export const PasswordResetSchema = defineEntity({
  name: "PasswordReset",
  tableName: "password_resets",
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    user: () => p.manyToOne(User).deleteRule("cascade").index(),
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdBy: () => p.manyToOne(User).nullable().deleteRule("set null"),
    createdAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
  },
});

export class PasswordReset extends PasswordResetSchema.class {}
PasswordResetSchema.setClass(PasswordReset);
