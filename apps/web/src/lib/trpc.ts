import type { AppRouter } from "@parley/api";
import { httpBatchLink, type TRPCLink } from "@trpc/client";
import { createTRPCReact } from "@trpc/react-query";
import superjson from "superjson";

export const trpc = createTRPCReact<AppRouter>();

/**
 * Every link the client uses is assembled here, so adding a subscription transport later is a
 * splitLink in this one function. Auth travels in the same-origin session cookie, so no headers.
 */
export function createLinks(): TRPCLink<AppRouter>[] {
  return [httpBatchLink({ url: "/trpc", transformer: superjson })];
}

export function createTrpcClient() {
  return trpc.createClient({ links: createLinks() });
}
