import type { AppRouter } from "@parley/api";
import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
  TRPCClientError,
} from "@trpc/client";
import { EventSource } from "eventsource";
import superjson from "superjson";

export type { AppRouter, inferRouterInputs, inferRouterOutputs } from "@parley/api";
export { TRPCClientError };

export interface ParleyClientOptions {
  /** Where Parley is served, e.g. "https://parley.example.com" (the client appends /trpc). */
  url: string;
  /** Session token from `auth.login` / `auth.register`; a function is read before every request. */
  token?: string | (() => string | null | undefined);
  /** Custom fetch (tests, proxies, edge runtimes). */
  fetch?: typeof fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Combine calls made in the same tick into one HTTP request (default true). */
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
        // Subscriptions (chat answers) arrive as server-sent events. The `eventsource` package lets
        // programs send the bearer token, which the browser's EventSource cannot.
        true: httpSubscriptionLink({
          url: `${base}/trpc`,
          transformer: superjson,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) =>
              fetchImpl(input, {
                ...init,
                headers: { ...(init?.headers as Record<string, string>), ...headers() },
              }),
          }),
        }),
        // The server refuses batches over 20 calls and batches carrying an auth.* mutation.
        false:
          options.batch === false
            ? httpLink(linkOptions)
            : splitLink({
                condition: (op) => op.type === "mutation" && op.path.startsWith("auth."),
                true: httpLink(linkOptions),
                false: httpBatchLink({ ...linkOptions, maxItems: MAX_BATCH_ITEMS }),
              }),
      }),
    ],
  });
}

/** The tRPC error code of a failed call (e.g. "UNAUTHORIZED"), or null for other errors. */
export function errorCode(error: unknown): string | null {
  return error instanceof TRPCClientError
    ? ((error.data as { code?: string } | undefined)?.code ?? null)
    : null;
}
