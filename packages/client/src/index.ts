import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from "@trpc/client";
import { EventSource } from "eventsource";
import superjson from "superjson";
import { withInputInBody } from "./input-in-body.ts";
import type { AppRouter } from "./router.ts";

export { TRPCClientError } from "@trpc/client";
export type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
export * from "./attachments.ts";
export * from "./errors.ts";
export * from "./input-in-body.ts";
export type { AppRouter, RouterInputs, RouterOutputs } from "./router.ts";
export * from "./stream.ts";

export interface ParleyClientOptions {
  /** Where Parley is served, e.g. "https://parley.example.com" (the client appends /trpc). */
  url: string;
  /**
   * An API key (`pk_…`) or a session token from `auth.login`, sent as `Authorization: Bearer`;
   * a function is read before every request.
   */
  token?: string | (() => string | null | undefined);
  /** Custom fetch (tests, proxies, edge runtimes). */
  fetch?: typeof fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Combine queries made in the same tick into one HTTP request (default true); mutations go alone. */
  batch?: boolean;
}

export type ParleyClient = TRPCClient<AppRouter>;

/** The server's cap on calls per batch (MAX_BATCH_SIZE in apps/server). */
const MAX_BATCH_ITEMS = 20;

/**
 * A fully typed Parley API client for other TypeScript programs. Programs authenticate with a
 * bearer token, never with cookies, so the CSRF origin check does not apply to them.
 */
export function createParleyClient(options: ParleyClientOptions): ParleyClient {
  const base = options.url.replace(/\/+$/, "");
  const headers = (): Record<string, string> => {
    const token = typeof options.token === "function" ? options.token() : options.token;
    return { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  };
  const linkOptions = {
    url: `${base}/trpc`,
    transformer: superjson,
    headers,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const fetchImpl = options.fetch ?? fetch;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        // Subscriptions (chat answers) arrive as server-sent events. Node has no EventSource, and a
        // browser's cannot send the Authorization header; the `eventsource` package (fetch-based)
        // does both, so it is the one used everywhere.
        true: httpSubscriptionLink({
          url: `${base}/trpc`,
          transformer: superjson,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) =>
              fetchImpl(
                ...withInputInBody(String(input), {
                  ...init,
                  headers: { ...(init?.headers as Record<string, string>), ...headers() },
                }),
              ),
          }),
        }),
        // Mutations go alone, at once: a batch waits a timer tick for company, and a sent message
        // should not (the server also refuses batches carrying an auth.* mutation). Queries made in
        // the same tick are batched, at most 20 to a request (the server's limit).
        false:
          options.batch === false
            ? httpLink(linkOptions)
            : splitLink({
                condition: (op) => op.type === "mutation",
                true: httpLink(linkOptions),
                false: httpBatchLink({ ...linkOptions, maxItems: MAX_BATCH_ITEMS }),
              }),
      }),
    ],
  });
}
