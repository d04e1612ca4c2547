const AUTH_PATHS = new Set(["/login", "/register"]);

/**
 * The in-app path to continue to after signing in. `next` comes from the URL, so anything that
 * would leave this origin (absolute URLs, protocol-relative `//host`, backslash tricks) is refused
 * rather than turning the sign-in page into an open redirect.
 */
export function safeNextPath(next: string | null): string {
  if (!next?.startsWith("/")) return "/";
  const url = new URL(next, window.location.origin);
  if (url.origin !== window.location.origin || AUTH_PATHS.has(url.pathname)) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in URL that brings the visitor back to `path` afterwards. */
export function loginPathFor(path: string): string {
  return path === "/" ? "/login" : `/login?${new URLSearchParams({ next: path })}`;
}

/** Carries a pending `next` between the sign-in and registration pages. */
export function withNext(path: string, next: string | null): string {
  return next ? `${path}?${new URLSearchParams({ next })}` : path;
}
