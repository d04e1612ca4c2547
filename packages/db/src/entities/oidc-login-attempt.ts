import { defineEntity, p } from "@mikro-orm/core";

/**
 * A single-sign-on attempt between the redirect to the provider and its callback. `id` is the
 * SHA-256 (hex) of the `state` value, which the browser also holds in an HttpOnly cookie; the
 * `nonce` and PKCE `codeVerifier` never leave the server. Deleted when the callback uses it, so
 * a callback cannot be replayed; expired rows are removed as new attempts start.
 */
export const OidcLoginAttemptSchema = defineEntity({
  name: "OidcLoginAttempt",
  tableName: "oidc_login_attempts",
  indexes: [{ properties: ["ipAddress", "expiresAt"] }],
  properties: {
    id: p.string().length(64).primary(),
    nonce: p.string().length(128),
    codeVerifier: p.string().length(128),
    /** The in-app path to open after signing in. */
    returnTo: p.string().length(500),
    /** Who started it: open attempts per address are capped, so nobody can fill the table. */
    ipAddress: p.string().length(64).nullable(),
    expiresAt: p.datetime().index(),
    createdAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
  },
});

export class OidcLoginAttempt extends OidcLoginAttemptSchema.class {}
OidcLoginAttemptSchema.setClass(OidcLoginAttempt);
