import { type ApiServices, appRouter, createCallerFactory } from "@parley/api";
import { TRPCError } from "@trpc/server";
import {
  getErrorShape,
  getTRPCErrorFromUnknown,
  isTrackedEnvelope,
  sseHeaders,
} from "@trpc/server/unstable-core-do-not-import";
import type { Hono, Context as HonoContext } from "hono";
import superjson from "superjson";
import { apiContext } from "./api-context.ts";
import type { AppEnv } from "./env.ts";
import type { OriginPolicy } from "./request-info.ts";
import { logProcedureFailure } from "./trpc-handler.ts";

/** The subscriptions written here; both answer with a turn's events. */
type StreamPath = "sessions.stream" | "sessions.sendAndStream";
const createCaller = createCallerFactory(appRouter);
const config = appRouter._def._config;
const pingMs = config.sse?.ping?.intervalMs ?? 10_000;
const encoder = new TextEncoder();

/**
 * `GET /trpc/sessions.stream` and `POST /trpc/sessions.sendAndStream`, the chat answers,
 * written here in tRPC's own SSE wire format (`connected`, tracked `data` + `id`, `ping`,
 * `return`, `serialized-error`), so `httpSubscriptionLink` clients see no difference. Why not
 * tRPC's fetch adapter: it turns every event into four strings pushed through two TransformStreams
 * and a TextEncoderStream, and the Node adapter writes each of them to the socket on its own —
 * with a hundred answers streaming, that pipeline was the largest share of the server's CPU after
 * the model client. Here an event is one chunk, one write. `sendAndStream`'s POST carries the input
 * as its body (what a GET has in `?input=`): a message can be far longer than a URL.
 *
 * The procedure itself still runs through the router (a server-side caller): authentication, API
 * key scopes, rate limits, input validation, the CSRF guard and the stream's ownership check are
 * the router's.
 */
export function mountTurnStream(app: Hono<AppEnv>, services: ApiServices, originPolicy: OriginPolicy): void {
  app.get("/trpc/sessions.stream", (c) => serveTurnStream(c, "sessions.stream", services, originPolicy));
  app.post("/trpc/sessions.sendAndStream", (c) =>
    serveTurnStream(c, "sessions.sendAndStream", services, originPolicy),
  );
  // It sends a message and spends credits: never on a GET, which any page may make a browser
  // send with its cookie (a navigation carries no Origin for the CSRF guard to refuse). The
  // refusal a GET of a mutation gets from tRPC.
  app.get("/trpc/sessions.sendAndStream", (c) => {
    const error = new TRPCError({ code: "METHOD_NOT_SUPPORTED", message: "Send it as a POST." });
    return c.json({ error: superjson.serialize(errorShape(error, "sessions.sendAndStream")) }, 405);
  });
}

async function serveTurnStream(
  c: HonoContext<AppEnv>,
  path: StreamPath,
  services: ApiServices,
  originPolicy: OriginPolicy,
): Promise<Response> {
  const headers = new Headers(sseHeaders);
  const signal = c.req.raw.signal;
  let events: AsyncIterator<unknown>;
  try {
    const ctx = await apiContext(c, services, originPolicy, headers);
    const { searchParams } = new URL(c.req.url);
    const raw = c.req.method === "POST" ? await c.req.text() : searchParams.get("input");
    const input = streamInput(raw, searchParams, c.req.header("last-event-id"));
    const sessions = createCaller(ctx, { signal }).sessions;
    const iterable = await (path === "sessions.stream"
      ? sessions.stream(input as never)
      : sessions.sendAndStream(input as never));
    events = iterable[Symbol.asyncIterator]();
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    logProcedureFailure(c.get("log"), error, path, "subscription");
    // As tRPC does: the stream opens (200) and its first event after `connected` is the error.
    return new Response(connected() + serializedError(error, path), { headers });
  }
  const fail = (error: TRPCError) => logProcedureFailure(c.get("log"), error, path, "subscription");
  const serializeError = (error: TRPCError) => serializedError(error, path);
  return new Response(eventStream(events, signal, serializeError, fail), { headers });
}

/** The procedure's input (superjson JSON), with a reconnecting EventSource's last event id. */
function streamInput(
  raw: string | null,
  params: URLSearchParams,
  lastEventIdHeader: string | undefined,
): unknown {
  let input: unknown;
  try {
    input = raw === null || raw === "" ? undefined : superjson.deserialize(JSON.parse(raw));
  } catch (cause) {
    throw new TRPCError({ code: "PARSE_ERROR", message: "Malformed input.", cause });
  }
  const lastEventId = lastEventIdHeader ?? params.get("lastEventId") ?? params.get("Last-Event-Id");
  if (!lastEventId) return input;
  return typeof input === "object" && input !== null ? { ...input, lastEventId } : { lastEventId };
}

/**
 * The events as SSE, one chunk each; a ping after every `pingMs` of silence keeps proxies open. A
 * failure mid-stream is reported to `fail` and sent as the stream's last event.
 */
function eventStream(
  events: AsyncIterator<unknown>,
  signal: AbortSignal,
  serializeError: (error: TRPCError) => string,
  fail: (error: TRPCError) => void,
): ReadableStream<Uint8Array> {
  let open = true;
  let lastWrite = Date.now();
  let pinger: NodeJS.Timeout | undefined;
  const stop = () => {
    open = false;
    clearInterval(pinger);
    void events.return?.();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        if (!open) return;
        lastWrite = Date.now();
        controller.enqueue(encoder.encode(text));
      };
      write(connected());
      pinger = setInterval(() => {
        if (Date.now() - lastWrite >= pingMs) write("event: ping\ndata: \n\n");
      }, pingMs / 2);
      signal.addEventListener("abort", stop, { once: true });
      void (async () => {
        try {
          for (let next = await events.next(); !next.done; next = await events.next()) {
            write(trackedEvent(next.value));
          }
          write("event: return\ndata: \n\n");
        } catch (cause) {
          const error = getTRPCErrorFromUnknown(cause);
          fail(error);
          write(serializeError(error));
        } finally {
          signal.removeEventListener("abort", stop);
          if (open) controller.close();
          open = false;
          clearInterval(pinger);
        }
      })();
    },
    cancel: stop,
  });
}

function connected(): string {
  return `event: connected\ndata: ${JSON.stringify(config.sse?.client ?? {})}\n\n`;
}

/** `tracked(id, data)` yields `[id, data, symbol]`; its id becomes the SSE id the client resumes from. */
function trackedEvent(value: unknown): string {
  if (isTrackedEnvelope(value)) {
    return `data: ${JSON.stringify(superjson.serialize(value[1]))}\nid: ${value[0]}\n\n`;
  }
  return `data: ${JSON.stringify(superjson.serialize(value))}\n\n`;
}

function serializedError(error: TRPCError, path: StreamPath): string {
  return `event: serialized-error\ndata: ${JSON.stringify(superjson.serialize(errorShape(error, path)))}\n\n`;
}

function errorShape(error: TRPCError, path: StreamPath) {
  return getErrorShape({ config, error, type: "subscription", path, input: undefined, ctx: undefined });
}
