import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";

/**
 * CORS for browser apps on the origins in ALLOWED_ORIGINS, on the API paths only. Bearer tokens
 * (sessions or API keys) only: credentials are not allowed, so browsers neither send Parley's
 * cookie cross-origin nor let a page read a cookie-authenticated answer. (Cookie writes from
 * other origins are refused by the CSRF guard in packages/api whatever CORS says.)
 */
export function apiCors(allowedOrigins: readonly string[]): MiddlewareHandler {
  return cors({
    origin: (origin) => (allowedOrigins.includes(origin) ? origin : null),
    allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
    // tRPC's links send content-type and trpc-accept; SSE reconnects send last-event-id.
    allowHeaders: ["authorization", "content-type", "trpc-accept", "last-event-id", "cache-control"],
    exposeHeaders: ["retry-after", "x-request-id"],
    credentials: false,
    maxAge: 600,
  });
}
