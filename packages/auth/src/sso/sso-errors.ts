import { DomainError, type DomainErrorCode } from "@parley/core";

/**
 * Why a single-sign-on attempt was refused. The server puts the reason on the sign-in page's URL
 * (`/login?sso_error=…`), where the SPA turns it into a sentence, so these names are a contract.
 */
export const SSO_ERROR_REASONS = [
  "sso_not_configured",
  "sso_unavailable",
  "sso_failed",
  "sso_denied",
  "sso_too_many_attempts",
  "sso_state_mismatch",
  "sso_nonce_mismatch",
  "sso_email_missing",
  "sso_email_unverified",
  "sso_account_conflict",
  "sso_account_deactivated",
  "sso_registration_closed",
] as const;
export type SsoErrorReason = (typeof SSO_ERROR_REASONS)[number];

export function ssoRefusal(code: DomainErrorCode, reason: SsoErrorReason, message: string): DomainError {
  return new DomainError(code, message, { reason });
}

/** The reason a failed sign-on carries, or `fallback` for errors that are not a refusal of ours. */
export function ssoErrorReason(error: unknown, fallback: SsoErrorReason): SsoErrorReason {
  if (error instanceof DomainError) {
    const reason = error.detail.reason;
    if (typeof reason === "string" && (SSO_ERROR_REASONS as readonly string[]).includes(reason)) {
      return reason as SsoErrorReason;
    }
  }
  return fallback;
}
