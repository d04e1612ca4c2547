import { defineEntity, p } from "@mikro-orm/core";

export const USER_ROLES = ["user", "supervisor", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * A person (or program) with an account. Email and username are stored lower-cased, so their
 * unique constraints are case-insensitive without needing citext or expression indexes.
 */
export const UserSchema = defineEntity({
  name: "User",
  tableName: "users",
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    email: p.string().length(254).unique(),
    username: p.string().length(32).unique(),
    displayName: p.string().length(80),
    passwordHash: p.text().lazy().hidden(),
    role: p.enum(USER_ROLES).default("user"),
    active: p.boolean().default(true),
    createdAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    lastLoginAt: p.datetime().nullable(),
  },
});

export class User extends UserSchema.class {}
UserSchema.setClass(User);
