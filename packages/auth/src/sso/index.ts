export {
  MAX_OPEN_ATTEMPTS_PER_ADDRESS,
  OIDC_ATTEMPT_TTL_SECONDS,
  OidcClient,
  type OidcSettings,
} from "./oidc-client.ts";
export { roleFromClaims } from "./role-claim.ts";
export { type SsoIdentity, type SsoSignInResult, signInWithSso } from "./sso-accounts.ts";
export { SSO_ERROR_REASONS, type SsoErrorReason, ssoErrorReason } from "./sso-errors.ts";
export { ssoAccountCreation } from "./sso-policy.ts";
