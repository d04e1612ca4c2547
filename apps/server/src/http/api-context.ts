import { type ApiServices, type Context, createContext } from "@parley/api";
import type { Context as HonoContext } from "hono";
import type { AppEnv } from "./env.ts";
import { type OriginPolicy, publicOrigin, requestInfo } from "./request-info.ts";
import { sessionCookieWriter } from "./session-cookie.ts";

/** The API context for a request outside /trpc (REST, the panel): the same callers, the same rules. */
export function apiContext(
  c: HonoContext<AppEnv>,
  services: ApiServices,
  originPolicy: OriginPolicy,
  resHeaders: Headers,
): Promise<Context> {
  return createContext({
    services,
    request: requestInfo(c, originPolicy),
    cookies: sessionCookieWriter(resHeaders, () =>
      publicOrigin(c, originPolicy.trustProxy).startsWith("https:"),
    ),
    resHeaders,
    log: c.get("log"),
  });
}
