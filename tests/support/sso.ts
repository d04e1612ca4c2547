import type { APIRequestContext, APIResponse } from "playwright-core";
import { expect } from "vitest";

export interface SsoSignInOptions {
  /** The in-app path to return to (`next` on the start URL). */
  next?: string;
  /** Changes the authorization request before the browser follows it to the provider. */
  editAuthorizationUrl?: (url: URL) => void;
  /** Changes the provider's redirect back to Parley before it is followed. */
  editCallbackUrl?: (url: URL) => void;
  /** false: stop before Parley's callback (`location` is then the callback URL). */
  followCallback?: boolean;
}

export interface SsoSignInOutcome {
  /** Where Parley sent the browser at the end: into the SPA, or /login?sso_error=…. */
  location: URL;
  /** The provider's redirect to Parley's callback, as followed. */
  callbackUrl: URL;
}

/**
 * Walks the whole sign-on as a browser would, with a cookie jar (playwright's request context):
 * Parley's start → the provider's form, filled in as `login` → the provider's redirects → Parley's
 * callback. Redirects are followed one by one so a test can tamper with them.
 */
export async function ssoSignIn(
  http: APIRequestContext,
  parleyUrl: string,
  login: string,
  options: SsoSignInOptions = {},
): Promise<SsoSignInOutcome> {
  const query = options.next ? `?${new URLSearchParams({ next: options.next })}` : "";
  const start = await http.get(`${parleyUrl}/auth/oidc/start${query}`, { maxRedirects: 0 });
  const authorizationUrl = redirectOf(start);
  options.editAuthorizationUrl?.(authorizationUrl);

  const form = await http.get(authorizationUrl.href);
  expect(form.status(), await form.text()).toBe(200);
  let response = await http.post(`${form.url()}/login`, { form: { login }, maxRedirects: 0 });
  let next = redirectOf(response);
  while (next.origin !== new URL(parleyUrl).origin) {
    response = await http.get(next.href, { maxRedirects: 0 });
    next = redirectOf(response);
  }
  options.editCallbackUrl?.(next);
  if (options.followCallback === false) return { location: next, callbackUrl: next };
  const callback = await http.get(next.href, { maxRedirects: 0 });
  return { location: redirectOf(callback), callbackUrl: next };
}

export function redirectOf(response: APIResponse): URL {
  expect([302, 303], `${response.url()} answered ${response.status()}`).toContain(response.status());
  const location = response.headers().location;
  if (!location) throw new Error(`${response.url()} redirected nowhere`);
  return new URL(location, response.url());
}

/** `auth.me` with whatever session cookie the context holds, or null when not signed in. */
export async function meWithCookie(http: APIRequestContext, parleyUrl: string) {
  const response = await http.get(`${parleyUrl}/trpc/auth.me`);
  if (response.status() === 401) return null;
  expect(response.status()).toBe(200);
  const body = (await response.json()) as {
    result: { data: { json: { id: string; email: string; role: string; username: string } } };
  };
  return body.result.data.json;
}
