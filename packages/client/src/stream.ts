import type { TRPCClient } from "@trpc/client";
import type { AppRouter } from "./router.ts";

type StreamOutput = AppRouter["sessions"]["stream"]["_def"]["$types"]["output"];

/** One tracked event of an answer: `id` is its position, to resume after it. */
export type TurnStreamItem = StreamOutput extends AsyncIterable<infer Item> ? Item : never;
/** An event of an answer: started, token, toolCall, toolResult, usage, done or error. */
export type TurnEvent = TurnStreamItem["data"];
export type TurnEventOf<T extends TurnEvent["type"]> = Extract<TurnEvent, { type: T }>;

export interface StreamTurnHandlers {
  /** Every event with its id; keep the last id to resume later with `lastEventId`. */
  onEvent?(event: TurnEvent, id: string): void;
  /** Each piece of the answer's text, in order. */
  onToken?(text: string): void;
  /** Resume after this event id (from an earlier `onEvent`) instead of from the start. */
  lastEventId?: string;
  /** Stops following the answer (it keeps running on the server; `sessions.stop` ends it). */
  signal?: AbortSignal;
}

/** The answer ended in an `error` event: the model failed, credits ran out, it was stopped… */
export class ParleyTurnError extends Error {
  override name = "ParleyTurnError";
  readonly event: TurnEventOf<"error">;
  constructor(event: TurnEventOf<"error">) {
    super(event.message);
    this.event = event;
  }
  get code(): string {
    return this.event.code;
  }
}

/**
 * Follows an answer started with `sessions.send` (or `sessions.direct`) until it is done, and
 * resolves with the `done` event (full text, status, credits charged, balance). A dropped
 * connection is resumed by the client from the last event it saw; pass `lastEventId` to resume in
 * a new process. Rejects with a ParleyTurnError on an `error` event, with a TRPCClientError when
 * the stream cannot be opened (e.g. NOT_FOUND), and with the signal's reason when aborted.
 *
 *     const { turnId } = await parley.sessions.send.mutate({ sessionId, content: "Hello" });
 *     const done = await streamTurn(parley, turnId, { onToken: (t) => process.stdout.write(t) });
 */
export function streamTurn(
  client: TRPCClient<AppRouter>,
  turnId: string,
  handlers: StreamTurnHandlers = {},
): Promise<TurnEventOf<"done">> {
  const resume = handlers.lastEventId ? { lastEventId: handlers.lastEventId } : {};
  return followTurn(handlers, (callbacks) =>
    client.sessions.stream.subscribe({ turnId, ...resume }, callbacks),
  );
}

type SendInput = AppRouter["sessions"]["sendAndStream"]["_def"]["$types"]["input"];

/**
 * Sends a message and follows its answer in the same exchange (`sessions.sendAndStream`: one round
 * trip fewer before the first token than `send` then `stream`), resolving as `streamTurn` does.
 * The first event, `started`, carries the turn's, the message's and the chat's ids. A request id
 * is made up when none is given: a dropped connection sends the request again with it, and the
 * server goes on with the same turn after the last event received.
 *
 *     const done = await sendTurn(parley, { sessionId, content: "Hello" }, {
 *       onToken: (t) => process.stdout.write(t),
 *     });
 */
export function sendTurn(
  client: TRPCClient<AppRouter>,
  input: Omit<SendInput, "clientRequestId" | "lastEventId"> & { clientRequestId?: string },
  handlers: Omit<StreamTurnHandlers, "lastEventId"> = {},
): Promise<TurnEventOf<"done">> {
  const request = { ...input, clientRequestId: input.clientRequestId ?? crypto.randomUUID() };
  return followTurn(handlers, (callbacks) => client.sessions.sendAndStream.subscribe(request, callbacks));
}

interface TurnCallbacks {
  onData(item: TurnStreamItem): void;
  onError(error: unknown): void;
  onComplete(): void;
}

/** Runs a turn subscription to its `done` (resolved) or `error` (rejected) event. */
function followTurn(
  handlers: Omit<StreamTurnHandlers, "lastEventId">,
  subscribe: (callbacks: TurnCallbacks) => { unsubscribe(): void },
): Promise<TurnEventOf<"done">> {
  return new Promise((resolve, reject) => {
    const { signal } = handlers;
    if (signal?.aborted) return reject(signal.reason);
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      subscription.unsubscribe();
      finish();
    };
    const onAbort = () => settle(() => reject(signal?.reason));
    const subscription = subscribe({
      onData({ id, data }) {
        handlers.onEvent?.(data, id);
        if (data.type === "token") handlers.onToken?.(data.text);
        else if (data.type === "done") settle(() => resolve(data));
        else if (data.type === "error") settle(() => reject(new ParleyTurnError(data)));
      },
      onError: (error) => settle(() => reject(error)),
      onComplete: () => settle(() => reject(new Error("The answer's stream ended without a result."))),
    });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
