import { TRPCClientError } from "@parley/client";

export interface CaughtError {
  code: string | undefined;
  message: string;
  httpStatus: number | undefined;
  detail: Record<string, unknown> | null;
  zodIssues: { path: (string | number)[]; message: string }[] | null;
}

/** Runs a call that must fail and returns its tRPC error in a shape easy to assert on. */
export async function failureOf(call: Promise<unknown>): Promise<CaughtError> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    const data = error.data as Partial<Omit<CaughtError, "message">> | undefined;
    return {
      code: data?.code,
      message: error.message,
      httpStatus: data?.httpStatus,
      detail: data?.detail ?? null,
      zodIssues: data?.zodIssues ?? null,
    };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
