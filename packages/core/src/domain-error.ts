/**
 * The outcomes a domain operation can refuse with. They mirror tRPC's error codes so the API layer
 * can translate one-to-one, but the domain packages never import tRPC.
 */
export type DomainErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "PAYMENT_REQUIRED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "TOO_MANY_REQUESTS"
  /** An upload larger than the configured limit (HTTP 413). */
  | "PAYLOAD_TOO_LARGE"
  /** An upload whose bytes are of a type Parley does not accept (HTTP 415). */
  | "UNSUPPORTED_MEDIA_TYPE";

/** Structured detail that travels to the client next to the message (e.g. which field clashed). */
export interface DomainErrorDetail {
  field?: string;
  retryAfterSeconds?: number;
  available?: number;
  [key: string]: unknown;
}

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly detail: DomainErrorDetail;

  constructor(code: DomainErrorCode, message: string, detail: DomainErrorDetail = {}) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.detail = detail;
  }
}
