import { defineEntity, p } from "@mikro-orm/core";
import { User } from "./user.ts";

export const API_KEY_SCOPES = ["chat", "accounting", "admin"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * A personal API key. Only the SHA-256 digest (hex) of the secret is stored, so a copy of the
 * database holds no usable key; `prefix` (the secret's first characters) lets people tell keys
 * apart. Revoked keys stay (revokedAt set) so the list of what existed can be audited.
 */
export const ApiKeySchema = defineEntity({
  name: "ApiKey",
  tableName: "api_keys",
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    user: () => p.manyToOne(User).deleteRule("cascade").index(),
    name: p.string().length(100),
    prefix: p.string().length(16),
    secretHash: p.string().length(64).unique(),
    scopes: p.array<ApiKeyScope>(),
    createdAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
    expiresAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});

export class ApiKey extends ApiKeySchema.class {}
ApiKeySchema.setClass(ApiKey);
