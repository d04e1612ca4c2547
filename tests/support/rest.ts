import { SignJWT } from "jose";
import type { TestServer } from "./server.ts";

export interface RestReply<T> {
  status: number;
  contentType: string | null;
  headers: Headers;
  /** The parsed JSON (the caller names the shape it expects), or the text of a non-JSON reply. */
  body: T;
}

/** One plain-fetch call, as a service built against the original accounting API would make it. */
export async function rest<T = Record<string, unknown>>(
  server: TestServer,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<RestReply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${server.url}${path}`, { method, headers, body: payload });
  const contentType = response.headers.get("content-type");
  const text = await response.text();
  const body = (contentType?.includes("application/json") ? JSON.parse(text) : text) as T;
  return { status: response.status, contentType, headers: response.headers, body };
}

export const JWT_SECRET = "a-shared-secret-of-the-auth-service";

/** An HS256 access token as the original design's external auth service issues them. */
export function externalJwt(
  claims: { sub: string; username: string; email: string; role?: string },
  options: { secret?: string; expiresIn?: string | number } = {},
): Promise<string> {
  return new SignJWT({ username: claims.username, email: claims.email, role: claims.role ?? "user" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "15m")
    .sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));
}
