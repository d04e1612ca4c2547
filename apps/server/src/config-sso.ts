import type { OidcSettings } from "@parley/auth";
import { USER_ROLES } from "@parley/db";
import { z } from "zod";
import { jsonObject, optionalString } from "./config-fields.ts";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** OIDC_ROLE_MAP: JSON object of claim value → Parley role. */
const roleMapSchema = jsonObject('{"parley-admins":"admin"}').pipe(
  z.record(z.string().min(1).max(200), z.enum(USER_ROLES)),
);

/** Single sign-on through an OpenID Connect provider; see docs/auth.md. */
export const ssoConfigFields = {
  OIDC_ISSUER: optionalString.pipe(
    z
      .url({ protocol: /^https?$/ })
      .refine((url) => {
        const { protocol, hostname } = new URL(url);
        return protocol === "https:" || LOOPBACK_HOSTS.has(hostname);
      }, "must use https (plain http only on a loopback address)")
      .optional(),
  ),
  OIDC_CLIENT_ID: optionalString.pipe(z.string().max(500).optional()),
  OIDC_CLIENT_SECRET: optionalString.pipe(z.string().max(2000).optional()),
  OIDC_DISPLAY_NAME: z.string().trim().min(1).max(40).default("SSO"),
  OIDC_ROLE_CLAIM: optionalString.pipe(z.string().max(200).optional()),
  OIDC_ROLE_MAP: roleMapSchema,
};

const ssoConfigSchema = z.object(ssoConfigFields);
type SsoConfig = z.infer<typeof ssoConfigSchema>;

/** The three OIDC_ settings that make sign-on work come together or not at all. */
export function checkSsoConfig(config: SsoConfig, ctx: z.RefinementCtx): void {
  const required = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const;
  const missing = required.filter((name) => !config[name]);
  if (missing.length > 0 && missing.length < required.length) {
    for (const name of missing) {
      ctx.addIssue({
        code: "custom",
        path: [name],
        message: "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together",
      });
    }
  }
}

/** What the OIDC client needs, or null when single sign-on is not configured. */
export function oidcSettings(config: SsoConfig): OidcSettings | null {
  if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID || !config.OIDC_CLIENT_SECRET) return null;
  return {
    issuer: config.OIDC_ISSUER,
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    roleClaim: config.OIDC_ROLE_CLAIM,
    roleMap: config.OIDC_ROLE_MAP,
  };
}
