import { createMiddleware } from "hono/factory";
import type { Logger } from "../logger.ts";
import type { AppEnv } from "./env.ts";

/**
 * Gives each request a child logger carrying its request id (set by hono/request-id), and logs
 * one line when the response is done.
 */
export function requestLogging(logger: Logger) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const log = logger.child({ reqId: c.get("requestId") });
    c.set("log", log);
    const started = performance.now();
    await next();
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const level = c.res.status >= 500 ? "error" : "info";
    log[level]({ method: c.req.method, path: c.req.path, status: c.res.status, durationMs }, "request");
  });
}
