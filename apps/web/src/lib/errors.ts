import { t } from "@lingui/core/macro";
import type { AppRouter } from "@parley/api";
import { TRPCClientError } from "@trpc/client";

export type ApiError = TRPCClientError<AppRouter>;

export function isTrpcError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}

export function errorCode(error: unknown): string | undefined {
  return isTrpcError(error) ? error.data?.code : undefined;
}

export interface FormErrors<Field extends string> {
  fields: Partial<Record<Field, string>>;
  /** A problem that belongs to no single input; shown in the form's alert. */
  message: string | null;
}

export const NO_ERRORS: FormErrors<never> = { fields: {}, message: null };

// Functions, not constants: each call reads the language active at that moment.
const NETWORK_MESSAGE = () => t`We couldn't reach Parley. Check your connection and try again.`;
const SERVER_MESSAGE = () => t`Something went wrong on our side. Please try again in a moment.`;

/** A sentence fit to show a person, for errors that are not tied to a form field. */
export function errorMessage(error: unknown): string {
  if (!isTrpcError(error)) return SERVER_MESSAGE();
  // No data means the request never got a tRPC answer: offline, proxy down, server restarting.
  if (!error.data) return NETWORK_MESSAGE();
  if (error.data.code === "INTERNAL_SERVER_ERROR") return SERVER_MESSAGE();
  return error.message;
}

/**
 * Splits an API error into messages for the form's own inputs and one message for the alert.
 * Zod issues and domain errors name the offending field; anything the form has no input for
 * falls back to the alert so it is never silently dropped.
 */
export function toFormErrors<Field extends string>(
  error: unknown,
  known: readonly Field[],
): FormErrors<Field> {
  const isKnown = (name: unknown): name is Field => typeof name === "string" && known.some((k) => k === name);
  const fields: Partial<Record<Field, string>> = {};
  const data = isTrpcError(error) ? error.data : undefined;

  if (data?.zodIssues) {
    const unplaced: string[] = [];
    for (const issue of data.zodIssues) {
      const name = issue.path[0];
      if (isKnown(name)) fields[name] ??= issue.message;
      else unplaced.push(issue.message);
    }
    // The error's own message is the serialized issue list, which is not for people.
    const message =
      unplaced[0] ?? (Object.keys(fields).length > 0 ? null : t`Please check the form and try again.`);
    return { fields, message };
  }

  const field = data?.detail?.field;
  if (isKnown(field)) {
    fields[field] = errorMessage(error);
    return { fields, message: null };
  }
  return { fields, message: errorMessage(error) };
}

export function hasErrors(errors: FormErrors<string>): boolean {
  return errors.message !== null || Object.keys(errors.fields).length > 0;
}
