import type { AppRouter } from "@parley/api";
import { httpBatchLink, httpSubscriptionLink, splitLink, type TRPCLink } from "@trpc/client";
import { createTRPCReact } from "@trpc/react-query";
import superjson from "superjson";

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
      true: httpSubscriptionLink({ url: "/trpc", transformer: superjson }),
      false: httpBatchLink({ url: "/trpc", transformer: superjson }),
    }),
  ];
}

export function createTrpcClient() {
  return trpc.createClient({ links: createLinks() });
}
