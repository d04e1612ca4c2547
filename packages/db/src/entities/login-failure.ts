import { defineEntity, p } from "@mikro-orm/core";

/**
 * One failed sign-in, keyed by what it was throttled on (`login:<name>` or `ip:<address>`).
 * Kept in the database rather than in memory so the limit holds across several server processes.
 */
export const LoginFailureSchema = defineEntity({
  name: "LoginFailure",
  tableName: "login_failures",
  indexes: [{ properties: ["key", "createdAt"] }],
  properties: {
    id: p.bigint("number").primary().autoincrement(),
    key: p.string().length(300),
    createdAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
  },
});

export class LoginFailure extends LoginFailureSchema.class {}
LoginFailureSchema.setClass(LoginFailure);
