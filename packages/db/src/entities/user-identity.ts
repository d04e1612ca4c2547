import { defineEntity, p } from "@mikro-orm/core";
import { User } from "./user.ts";

/**
 * An account at an OpenID Connect provider linked to a Parley user. The provider's subject
 * identifier (`sub`, unique per issuer and never reassigned) is what later sign-ins match on, so a
 * changed e-mail address at the provider still reaches the same Parley account.
 */
export const UserIdentitySchema = defineEntity({
  name: "UserIdentity",
  tableName: "user_identities",
  uniques: [{ properties: ["issuer", "subject"] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    user: () => p.manyToOne(User).deleteRule("cascade").index(),
    issuer: p.string().length(500),
    subject: p.string().length(255),
    /** The e-mail the provider reported when the identity was linked (for operators; not matched on). */
    email: p.string().length(254).nullable(),
    createdAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
    lastLoginAt: p.datetime().nullable(),
  },
});

export class UserIdentity extends UserIdentitySchema.class {}
UserIdentitySchema.setClass(UserIdentity);
