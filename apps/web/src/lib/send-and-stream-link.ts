import type { AppRouter } from "@parley/api";
import { httpSubscriptionLink, type OperationLink, TRPCClientError, type TRPCLink } from "@trpc/client";
import { observable, type Unsubscribable } from "@trpc/server/observable";
import superjson from "superjson";

type PostEventSource = typeof import("./post-event-source.ts");
let loading: Promise<PostEventSource> | null = null;
/** The fetch-based EventSource, loaded once, apart from the first screen's JavaScript. */
const loadEventSource = () => {
  loading ??= import("./post-event-source.ts");
  return loading;
};

/**
 * `sessions.sendAndStream`: the message and its answer in one exchange, a round trip sooner to the
 * first token than `send` then `stream`. It has to be a POST (a message is too long for a URL),
 * which the browser's own EventSource cannot send; the `eventsource` package's, built on fetch,
 * can. It is loaded after the first screen (once the browser is idle), not in its bundle, so the
 * first send does not wait for it either.
 */
export function sendAndStreamLink(): TRPCLink<AppRouter> {
  const whenIdle = globalThis.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 1000));
  whenIdle(() => void loadEventSource());
  return (runtime) => {
    // Built once per client, when the EventSource is there.
    let linked: Promise<OperationLink<AppRouter>> | null = null;
    const link = () => {
      linked ??= loadEventSource().then(({ EventSource, withInputInBody }) =>
        httpSubscriptionLink({
          url: "/trpc",
          transformer: superjson,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) => fetch(...withInputInBody(String(input), init ?? {})),
          }),
        })(runtime),
      );
      return linked;
    };
    return ({ op, next }) =>
      observable((observer) => {
        let subscription: Unsubscribable | null = null;
        let cancelled = false;
        link().then(
          (subscribe) => {
            if (!cancelled) subscription = subscribe({ op, next }).subscribe(observer);
          },
          (cause: unknown) => observer.error(TRPCClientError.from(cause as Error)),
        );
        return () => {
          cancelled = true;
          subscription?.unsubscribe();
        };
      });
  };
}
