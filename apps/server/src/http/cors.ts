import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";

const EXPOSE_HEADERS = ["retry-after", "x-request-id"];

/**
 * CORS for browser apps on the origins in ALLOWED_ORIGINS, on the API paths only. Bearer tokens
 * (sessions or API keys) only: credentials are not allowed, so browsers neither send Parley's
 * cookie cross-origin nor let a page read a cookie-authenticated answer. (Cookie writes from
 * other origins are refused by the CSRF guard in packages/api whatever CORS says.)
 *
 * Preflights go to hono/cors. Other requests get the same headers it would give them, but set on
 * the answer once it exists: hono/cors sets them before the handler runs, which makes Hono create
 * a placeholder response and then rebuild the handler's answer around it, turning its body into a
 * stream that the Node adapter must read back; on every API call that cost more than the
 * procedure itself.
 */
export function apiCors(allowedOrigins: readonly string[]): MiddlewareHandler {
  const preflight = cors({
    origin: (origin) => (allowedOrigins.includes(origin) ? origin : null),
    allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
    // tRPC's links send content-type and trpc-accept; SSE reconnects send last-event-id.
    allowHeaders: ["authorization", "content-type", "trpc-accept", "last-event-id", "cache-control"],
    exposeHeaders: EXPOSE_HEADERS,
    credentials: false,
    maxAge: 600,
  });
  const exposed = EXPOSE_HEADERS.join(",");
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return preflight(c, next);
    await next();
    const headers = c.res.headers;
    const origin = c.req.header("origin");
    if (origin && allowedOrigins.includes(origin)) headers.set("Access-Control-Allow-Origin", origin);
    headers.set("Access-Control-Expose-Headers", exposed);
    // The answer depends on the Origin header: caches must keep one copy per origin.
    headers.append("Vary", "Origin");
  };
}
