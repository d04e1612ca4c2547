import type { SessionCookieWriter } from "@parley/api";
import { SESSION_COOKIE_NAME } from "@parley/auth";
import { serialize } from "hono/utils/cookie";

/**
 * The session cookie: HttpOnly (scripts cannot read it), SameSite=Lax (not sent on cross-site
 * subrequests), Secure whenever the browser reached us over HTTPS. `secure` is asked only when a
 * cookie is written: most requests write none, and working out the public origin parses the URL.
 */
export function sessionCookieWriter(resHeaders: Headers, secure: () => boolean): SessionCookieWriter {
  const base = () => ({ path: "/", httpOnly: true, sameSite: "Lax", secure: secure() }) as const;
  return {
    set(token, expiresAt) {
      const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
      resHeaders.append(
        "Set-Cookie",
        serialize(SESSION_COOKIE_NAME, token, { ...base(), maxAge, expires: expiresAt }),
      );
    },
    clear() {
      resHeaders.append("Set-Cookie", serialize(SESSION_COOKIE_NAME, "", { ...base(), maxAge: 0 }));
    },
  };
}
