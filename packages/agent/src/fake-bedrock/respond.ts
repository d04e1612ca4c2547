import { setTimeout as sleep } from "node:timers/promises";
import type { Answer } from "./answer.ts";
import type { FakeBehaviour } from "./behaviours.ts";
import { encodeEvent, encodeException } from "./event-stream.ts";
import type { FakeResponse } from "./listener.ts";
import type { CacheUsage } from "./prompt-cache.ts";

// Writing one answer onto a response (HTTP/1.1 or HTTP/2): a JSON error, a Converse JSON body, or
// ConverseStream event frames paced by `rate`. Every wait watches `signal`, which the server aborts
// when the client goes away (e.g. an AbortSignal on the SDK call) or the fake is closing.

/** One request being answered. */
export interface Reply {
  response: FakeResponse;
  signal: AbortSignal;
  requestId: string;
  /** Milliseconds since the epoch when the request arrived (for metrics.latencyMs). */
  startedAt: number;
  /** The recorded request's counters, updated as the answer goes out. */
  record: { status: number; tokensSent: number };
  /** Marks the answer complete; the stream closing afterwards is not an abort. */
  complete(): void;
}

function gone(reply: Reply): boolean {
  return reply.signal.aborted || reply.response.destroyed || reply.response.writableEnded;
}

function write(reply: Reply, bytes: Uint8Array): void {
  if (!gone(reply)) reply.response.write(bytes);
}

function finish(reply: Reply, body?: string): void {
  if (gone(reply)) return;
  reply.complete();
  if (body === undefined) reply.response.end();
  else reply.response.end(body);
}

/** Resolves false if the client went away first. */
async function waitUntil(at: number, signal: AbortSignal): Promise<boolean> {
  const ms = at - Date.now();
  if (ms > 0) {
    try {
      await sleep(ms, undefined, { signal });
    } catch {
      return false;
    }
  }
  return !signal.aborted;
}

/**
 * An HTTP error the way Bedrock sends one: the status, the error type in x-amzn-ErrorType (which
 * the SDK's restJson1 protocol reads to pick the error class) and {message} as the body.
 */
export function sendError(reply: Reply, status: number, name: string, message: string): void {
  if (gone(reply)) return;
  reply.record.status = status;
  reply.response.writeHead(status, {
    "content-type": "application/json",
    "x-amzn-errortype": name,
    "x-amzn-requestid": reply.requestId,
  });
  finish(reply, JSON.stringify({ message }));
}

/** The input side of a request's usage: plain input tokens, or Bedrock's split when it used the cache. */
export type InputUsage = number | CacheUsage;

/**
 * Usage as Bedrock reports it: with prompt caching, inputTokens counts only what was neither read
 * from nor written to the cache, and totalTokens adds all three to the output.
 */
function usage(input: InputUsage, outputTokens: number) {
  if (typeof input === "number")
    return { inputTokens: input, outputTokens, totalTokens: input + outputTokens };
  const totalTokens =
    input.inputTokens + input.cacheReadInputTokens + input.cacheWriteInputTokens + outputTokens;
  return { ...input, outputTokens, totalTokens };
}

/** Tokens of the answer that go out before a fail-after failure (all of them without one). */
function tokenLimit(answer: Answer, behaviour: FakeBehaviour): number {
  return behaviour.failAfter === undefined
    ? answer.tokens.length
    : Math.min(behaviour.failAfter, answer.tokens.length);
}

/**
 * POST /model/{id}/converse-stream. Frames: messageStart, [contentBlockStart for a toolUse only:
 * LangChain throws on a contentBlockStart without toolUse, and Bedrock sends none for text],
 * contentBlockDelta per `delta` tokens, contentBlockStop, messageStop, metadata.
 * fail-after ends with a modelStreamErrorException frame instead; no-stop ends after
 * contentBlockStop.
 */
export async function streamAnswer(
  reply: Reply,
  answer: Answer,
  behaviour: FakeBehaviour,
  inputTokens: InputUsage,
): Promise<void> {
  if (gone(reply)) return;
  reply.record.status = 200;
  reply.response.writeHead(200, {
    "content-type": "application/vnd.amazon.eventstream",
    "x-amzn-requestid": reply.requestId,
  });
  const pacedFrom = Date.now();
  write(reply, encodeEvent("messageStart", { role: "assistant" }));
  if (answer.kind === "tool") {
    const toolUse = { toolUseId: answer.toolUseId, name: answer.name };
    write(reply, encodeEvent("contentBlockStart", { contentBlockIndex: 0, start: { toolUse } }));
  }
  const limit = tokenLimit(answer, behaviour);
  const size = behaviour.delta === "all" ? Math.max(1, limit) : behaviour.delta;
  for (let from = 0; from < limit; from += size) {
    const group = answer.tokens.slice(from, Math.min(from + size, limit));
    // Token k (1-based) is due k/rate seconds after the start: no drift from timer lateness.
    const due = pacedFrom + ((from + group.length) * 1000) / behaviour.rate;
    if (behaviour.rate > 0 && !(await waitUntil(due, reply.signal))) return;
    if (gone(reply)) return;
    const piece = group.join("");
    const delta = answer.kind === "text" ? { text: piece } : { toolUse: { input: piece } };
    write(reply, encodeEvent("contentBlockDelta", { contentBlockIndex: 0, delta }));
    reply.record.tokensSent += group.length;
    // A model's first token comes before the rest: unpaced, the first delta still leaves alone.
    // Written with the others it would wait in the socket's buffer while they are all encoded
    // (5 ms for 500 tokens), and a client would see its first token only with the whole answer.
    if (from === 0 && behaviour.rate === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  if (behaviour.failAfter !== undefined) {
    const message = `fake-bedrock: model stream failed after ${reply.record.tokensSent} tokens`;
    write(reply, encodeException("modelStreamErrorException", message, { originalStatusCode: 500 }));
    finish(reply);
    return;
  }
  write(reply, encodeEvent("contentBlockStop", { contentBlockIndex: 0 }));
  if (behaviour.noStop) {
    finish(reply);
    return;
  }
  write(reply, encodeEvent("messageStop", { stopReason: answer.stopReason }));
  write(
    reply,
    encodeEvent("metadata", {
      usage: usage(inputTokens, reply.record.tokensSent),
      metrics: { latencyMs: Date.now() - reply.startedAt },
    }),
  );
  finish(reply);
}

/**
 * POST /model/{id}/converse: the whole answer as one JSON body, sent once `rate` would have
 * generated it. fail-after becomes 424 ModelErrorException (Converse has no stream to break);
 * delta and no-stop do not apply.
 */
export async function converseAnswer(
  reply: Reply,
  answer: Answer,
  behaviour: FakeBehaviour,
  inputTokens: InputUsage,
): Promise<void> {
  const limit = tokenLimit(answer, behaviour);
  if (
    behaviour.rate > 0 &&
    !(await waitUntil(reply.startedAt + (limit * 1000) / behaviour.rate, reply.signal))
  ) {
    return;
  }
  if (behaviour.failAfter !== undefined) {
    sendError(reply, 424, "ModelErrorException", `fake-bedrock: model failed after ${limit} tokens`);
    return;
  }
  if (gone(reply)) return;
  const content =
    answer.kind === "text"
      ? [{ text: answer.tokens.join("") }]
      : [{ toolUse: { toolUseId: answer.toolUseId, name: answer.name, input: answer.input } }];
  reply.record.status = 200;
  reply.record.tokensSent = answer.tokens.length;
  reply.response.writeHead(200, {
    "content-type": "application/json",
    "x-amzn-requestid": reply.requestId,
  });
  finish(
    reply,
    JSON.stringify({
      output: { message: { role: "assistant", content } },
      stopReason: answer.stopReason,
      usage: usage(inputTokens, answer.tokens.length),
      metrics: { latencyMs: Date.now() - reply.startedAt },
    }),
  );
}
