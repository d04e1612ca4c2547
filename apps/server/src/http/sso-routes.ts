import { grantWelcomeCredits } from "@parley/accounting";
import type { ApiServices } from "@parley/api";
import { OIDC_ATTEMPT_TTL_SECONDS, type OidcClient, type SsoErrorReason, ssoErrorReason } from "@parley/auth";
import type { Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { serialize } from "hono/utils/cookie";
import type { AppEnv } from "./env.ts";
import { type OriginPolicy, publicOrigin, requestInfo } from "./request-info.ts";
import { sessionCookieWriter } from "./session-cookie.ts";

export const OIDC_START_PATH = "/auth/oidc/start";
export const OIDC_CALLBACK_PATH = "/auth/oidc/callback";
/** Holds the attempt's `state` between the two routes; scoped to them, gone after the callback. */
const STATE_COOKIE = "parley_oidc_state";
const STATE_COOKIE_PATH = "/auth/oidc";
/** In-app paths the sign-in must not return to (they would only show the sign-in page again). */
const AUTH_PAGES = new Set(["/login", "/register"]);

export interface SsoRouteOptions {
  services: ApiServices;
  oidc: OidcClient | null;
  originPolicy: OriginPolicy;
  /** PUBLIC_URL, when set: the redirect URI is built on it rather than on the request. */
  publicUrl: string | undefined;
}

/**
 * The browser side of OpenID Connect sign-in. `start` sends the browser to the provider;
 * `callback` checks its answer, opens a normal Parley session (the same cookie as a password
 * sign-in) and goes on into the SPA. Every failure lands on the sign-in page with a reason code.
 */
export function mountSsoRoutes(app: Hono<AppEnv>, options: SsoRouteOptions): void {
  const { services, oidc, originPolicy } = options;
  const baseUrl = (c: Context<AppEnv>) =>
    (options.publicUrl ?? publicOrigin(c, originPolicy.trustProxy)).replace(/\/+$/, "");
  // Cookies are Secure exactly when a password sign-in's would be (the origin the browser reached).
  const secure = (c: Context<AppEnv>) => publicOrigin(c, originPolicy.trustProxy).startsWith("https:");

  app.get(OIDC_START_PATH, async (c) => {
    if (!oidc) return toLogin("sso_not_configured");
    const base = baseUrl(c);
    try {
      const { authorizationUrl, state } = await oidc.begin(services.db.em.fork(), {
        redirectUri: `${base}${OIDC_CALLBACK_PATH}`,
        returnTo: safeReturnPath(c.req.query("next")),
        ipAddress: requestInfo(c, originPolicy).ipAddress,
      });
      const headers = noStore(authorizationUrl.href);
      headers.append("Set-Cookie", stateCookie(state, OIDC_ATTEMPT_TTL_SECONDS, secure(c)));
      return new Response(null, { status: 302, headers });
    } catch (error) {
      c.get("log").warn({ err: error, issuer: oidc.issuer }, "single sign-on could not start");
      return toLogin(ssoErrorReason(error, "sso_unavailable"));
    }
  });

  app.get(OIDC_CALLBACK_PATH, async (c) => {
    if (!oidc) return toLogin("sso_not_configured");
    const base = baseUrl(c);
    const clearState = stateCookie("", 0, secure(c));
    try {
      const em = services.db.em.fork();
      const result = await oidc.finish(em, {
        // The redirect URI that start sent, plus the provider's answer.
        callbackUrl: new URL(`${base}${OIDC_CALLBACK_PATH}${new URL(c.req.url).search}`),
        cookieState: getCookie(c, STATE_COOKIE)?.slice(0, 200) ?? null,
      });
      if (result.created) {
        // As for a registration: from the system (no actor), an expiring grant in demo mode.
        const { signupCredits, demo } = services.accounting;
        await grantWelcomeCredits(em, { userId: result.user.id, credits: signupCredits, demo });
      }
      const request = requestInfo(c, originPolicy);
      const { token, expiresAt } = await services.sessions.create(result.user.id, {
        userAgent: request.userAgent?.slice(0, 300) ?? null,
        ipAddress: request.ipAddress,
      });
      const headers = noStore(result.returnTo);
      sessionCookieWriter(headers, () => secure(c)).set(token, expiresAt);
      headers.append("Set-Cookie", clearState);
      c.get("log").info({ userId: result.user.id, created: result.created }, "signed in through SSO");
      return new Response(null, { status: 302, headers });
    } catch (error) {
      const reason = ssoErrorReason(error, "sso_failed");
      c.get("log").warn({ err: error, reason }, "single sign-on refused");
      return toLogin(reason, clearState);
    }
  });
}

function toLogin(reason: SsoErrorReason, setCookie?: string): Response {
  const headers = noStore(`/login?${new URLSearchParams({ sso_error: reason })}`);
  if (setCookie) headers.append("Set-Cookie", setCookie);
  return new Response(null, { status: 302, headers });
}

function noStore(location: string): Headers {
  return new Headers({ Location: location, "Cache-Control": "no-store" });
}

function stateCookie(value: string, maxAge: number, secure: boolean): string {
  return serialize(STATE_COOKIE, value, {
    path: STATE_COOKIE_PATH,
    httpOnly: true,
    // Lax still reaches the callback: the provider sends the browser back with a top-level GET.
    sameSite: "Lax",
    secure,
    maxAge,
  });
}

/** `next` comes from the URL: only a path on this site is followed, never another origin. */
export function safeReturnPath(next: string | undefined): string {
  if (!next?.startsWith("/")) return "/";
  const origin = "http://parley.invalid";
  const url = new URL(next, origin);
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin !== origin || AUTH_PAGES.has(url.pathname) || path.length > 500 ? "/" : path;
}
