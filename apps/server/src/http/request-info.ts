import { isIP } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { RequestInfo } from "@parley/api";
import { SESSION_COOKIE_NAME } from "@parley/auth";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";

export interface OriginPolicy {
  trustProxy: boolean;
  /** Origins besides the server's own that may send cookie-authenticated writes. */
  allowedOrigins: string[];
}

/** The origin the browser believes it is talking to (the proxy's, when trusted). */
export function publicOrigin(c: Context, trustProxy: boolean): string {
  const url = new URL(c.req.url);
  if (trustProxy) {
    const proto = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim();
    const host = c.req.header("x-forwarded-host")?.split(",")[0]?.trim();
    if (proto) url.protocol = `${proto}:`;
    if (host) url.host = host;
  }
  return url.origin;
}

/**
 * The client's address. Behind a trusted proxy (TRUST_PROXY=true: one proxy, the peer) it is the
 * right-most X-Forwarded-For entry, the address the proxy itself saw: everything to its left was
 * sent by the client and could be anything, so using it would let one client pose as many
 * addresses and slip past the per-address sign-in throttle.
 */
function clientAddress(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (forwarded && isIP(forwarded)) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

export function requestInfo(c: Context, policy: OriginPolicy): RequestInfo {
  const origin = c.req.header("origin");
  const foreignOrigin =
    origin !== undefined &&
    origin !== publicOrigin(c, policy.trustProxy) &&
    !policy.allowedOrigins.includes(origin);
  const authorization = c.req.header("authorization");
  const bearer = authorization?.match(/^Bearer\s+(\S{1,4096})$/i)?.[1] ?? null;
  return {
    // Set by hono/request-id (the caller's X-Request-Id when well-formed, else a new one).
    requestId: typeof c.get("requestId") === "string" ? c.get("requestId") : null,
    ipAddress: clientAddress(c, policy.trustProxy),
    userAgent: c.req.header("user-agent") ?? null,
    foreignOrigin,
    bearerToken: bearer,
    cookieToken: getCookie(c, SESSION_COOKIE_NAME)?.slice(0, 200) || null,
  };
}
