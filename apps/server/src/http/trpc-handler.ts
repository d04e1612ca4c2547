import { type ApiServices, appRouter } from "@parley/api";
import type { TRPCError } from "@trpc/server";
import { resolveResponse } from "@trpc/server/http";
import type { Context } from "hono";
import type { Logger } from "../logger.ts";
import { apiContext } from "./api-context.ts";
import type { AppEnv } from "./env.ts";
import { MAX_BATCH_SIZE } from "./hardening.ts";
import type { OriginPolicy } from "./request-info.ts";

/** Where the router is mounted, without slashes (as the fetch adapter compares it). */
const ENDPOINT = "trpc";

/**
 * Answers /trpc/* through tRPC's resolveResponse: what its fetch adapter does, without the
 * adapter's copies of the options object (two for every call, each key by defineProperty), which
 * on the hottest reads cost as much as the procedure. The path and the response headers are
 * worked out as the adapter works them out.
 */
export function trpcHandler(services: ApiServices, originPolicy: OriginPolicy) {
  return (c: Context<AppEnv>): Promise<Response> => {
    const log = c.get("log");
    const req = c.req.raw;
    // Headers a procedure sets (Set-Cookie, Retry-After), added to whatever tRPC answers.
    const resHeaders = new Headers();
    return resolveResponse({
      router: appRouter,
      req,
      path: trimSlashes(trimSlashes(new URL(req.url).pathname).slice(ENDPOINT.length)),
      error: null,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: () => apiContext(c, services, originPolicy, resHeaders),
      responseMeta: () => ({ headers: resHeaders }),
      onError: ({ error, path, type }) => logProcedureFailure(log, error, path, type),
    });
  };
}

/** A server fault is logged with its cause (the client only hears "something went wrong"). */
export function logProcedureFailure(
  log: Logger,
  error: TRPCError,
  path: string | undefined,
  type: string,
): void {
  if (error.code === "INTERNAL_SERVER_ERROR")
    log.error({ err: error.cause ?? error, path, type }, "procedure failed");
}

function trimSlashes(path: string): string {
  const head = path.startsWith("/") ? path.slice(1) : path;
  return head.endsWith("/") ? head.slice(0, -1) : head;
}
