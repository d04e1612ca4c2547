import type { AppRouter } from "@parley/api";
import { httpBatchLink, httpLink, httpSubscriptionLink, splitLink, type TRPCLink } from "@trpc/client";
import { createTRPCReact } from "@trpc/react-query";
import superjson from "superjson";
import { sendAndStreamLink } from "./send-and-stream-link.ts";

export const trpc = createTRPCReact<AppRouter>();

/**
 * Every link the client uses is assembled here. Auth travels in the same-origin session cookie,
 * so no headers. Subscriptions (chat answers) arrive as server-sent events: when the connection
 * drops, the EventSource reconnects by itself with the last event id and the server resumes the
 * stream after it, without repeating a token.
 */
export function createLinks(): TRPCLink<AppRouter>[] {
  return [
    splitLink({
      condition: (op) => op.type === "subscription",
      true: splitLink({
        condition: (op) => op.path === "sessions.sendAndStream",
        true: sendAndStreamLink(),
        false: httpSubscriptionLink({ url: "/trpc", transformer: superjson }),
      }),
      // Mutations go alone, at once: a batch waits a timer tick for company, and a sent message
      // should not (the server also refuses batches carrying an auth.* mutation). Queries issued
      // together are batched, at most 20 to a request (the server's limit).
      false: splitLink({
        condition: (op) => op.type === "mutation",
        true: httpLink({ url: "/trpc", transformer: superjson }),
        false: httpBatchLink({ url: "/trpc", transformer: superjson, maxItems: 20 }),
      }),
    }),
  ];
}

export function createTrpcClient() {
  return trpc.createClient({ links: createLinks() });
}
