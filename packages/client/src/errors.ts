import type { ParleyErrorData } from "@parley/api/public";
import { TRPCClientError } from "@trpc/client";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import type { AppRouter } from "./router.ts";

export type { ParleyErrorData, PublicZodIssue } from "@parley/api/public";

/** A tRPC error code, e.g. "UNAUTHORIZED", "PAYMENT_REQUIRED", "TOO_MANY_REQUESTS". */
export type ParleyErrorCode = TRPC_ERROR_CODE_KEY;

/** A failed Parley call: `data.code`, `data.detail` and `data.zodIssues` are typed. */
export type ParleyError<C extends ParleyErrorCode = ParleyErrorCode> = TRPCClientError<AppRouter> & {
  data: ParleyErrorData & { code: C };
};

/**
 * Whether `error` is a failed Parley call, optionally with the given code. Narrows, so
 * `error.data.detail` and `error.data.zodIssues` can be read without casts:
 *
 *     if (isParleyError(error, "PAYMENT_REQUIRED")) console.log(error.data.detail?.available);
 */
export function isParleyError<C extends ParleyErrorCode = ParleyErrorCode>(
  error: unknown,
  code?: C,
): error is ParleyError<C> {
  if (!(error instanceof TRPCClientError)) return false;
  const data: unknown = error.data;
  if (typeof data !== "object" || data === null || !("code" in data)) return false;
  return code === undefined || data.code === code;
}

/** The tRPC error code of a failed call (e.g. "UNAUTHORIZED"), or null for other errors. */
export function errorCode(error: unknown): ParleyErrorCode | null {
  return isParleyError(error) ? error.data.code : null;
}
