import type { Context } from "hono";

/** Paths that belong to programs, not to the SPA: an unknown one is a JSON 404, never index.html. */
const API_PREFIXES = ["/api", "/trpc", "/v1", "/metrics"];

export function isApiPath(path: string): boolean {
  return API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

export function jsonNotFound(c: Context): Response {
  return c.json(
    { error: { code: "NOT_FOUND", message: `No such path: ${c.req.method} ${c.req.path}` } },
    404,
  );
}
