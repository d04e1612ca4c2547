import { defineEntity, p } from "@mikro-orm/core";
import { User } from "./user.ts";

/**
 * A signed-in session. `id` is the SHA-256 hash (hex) of the token handed to the client, so a
 * leaked database does not leak usable sessions.
 */
export const AuthSessionSchema = defineEntity({
  name: "AuthSession",
  tableName: "auth_sessions",
  properties: {
    id: p.string().length(64).primary(),
    user: () => p.manyToOne(User).deleteRule("cascade").index(),
    expiresAt: p.datetime(),
    createdAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
    userAgent: p.string().length(300).nullable(),
    ipAddress: p.string().length(64).nullable(),
  },
});

export class AuthSession extends AuthSessionSchema.class {}
AuthSessionSchema.setClass(AuthSession);
