/**
 * The `fetch` arguments of an EventSource request, with `sessions.sendAndStream`'s input moved from
 * the URL (where `httpSubscriptionLink` puts every subscription's) to the body of a POST, which the
 * server reads for it: a message can be far longer than a URL may be. Every attempt goes alike — a
 * reconnection sends the same request again, with the last event's id, and finds the same turn.
 * Other requests pass unchanged. Use it in `eventSourceOptions.fetch` with a fetch-based
 * EventSource (the `eventsource` package; a browser's own can only GET).
 */
export function withInputInBody(url: string, init: RequestInit): [string, RequestInit] {
  // The URL may be relative (the SPA's "/trpc/…"), so no `new URL()`.
  const queryStart = url.indexOf("?");
  const path = queryStart < 0 ? url : url.slice(0, queryStart);
  if (!path.endsWith("/sessions.sendAndStream")) return [url, init];
  const params = new URLSearchParams(queryStart < 0 ? "" : url.slice(queryStart + 1));
  const body = params.get("input") ?? "";
  params.delete("input");
  const query = params.toString();
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  return [query ? `${path}?${query}` : path, { ...init, method: "POST", body, headers }];
}
