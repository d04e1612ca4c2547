import { getBalance } from "@parley/accounting";
import { metrics } from "@parley/core";
import type { Database } from "@parley/db";
import { type ChatEvent, isFinal, type SequencedEvent } from "./events.ts";
import type { TurnBus } from "./turn-bus.ts";
import { interruptedEvent } from "./turn-runner.ts";
import { findTurn, type TurnRecord } from "./turn-store.ts";

/** After this long without an event, the database is asked how the turn is doing. */
const SILENCE_CHECK_MS = 10_000;

export interface FollowOptions {
  bus: TurnBus;
  db: Database;
  turnId: string;
  /** The sequence number of the last event the client has (0: none). */
  afterSeq: number;
  signal: AbortSignal;
}

/**
 * Follows a turn for a client: its events from the bus after `afterSeq`, until a final event.
 * When the bus has nothing more — the stream expired, was lost with Redis, or the owner died
 * before its recovery was announced — the stored turn supplies the final event, so every stream
 * ends with one.
 */
export async function* followTurn(options: FollowOptions): AsyncGenerator<SequencedEvent> {
  metrics.openStreams.inc();
  try {
    yield* follow(options);
  } finally {
    metrics.openStreams.dec();
  }
}

async function* follow(options: FollowOptions): AsyncGenerator<SequencedEvent> {
  const { bus, db, turnId, signal } = options;
  let last = options.afterSeq;
  while (!signal.aborted) {
    const silence = new AbortController();
    const onAbort = () => silence.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(() => silence.abort(), SILENCE_CHECK_MS);
    try {
      for await (const item of bus.read(turnId, last, silence.signal)) {
        timer.refresh();
        last = item.seq;
        yield item;
        if (isFinal(item.event)) return;
      }
    } catch {
      yield { seq: last + 1, event: busUnavailable };
      return;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    }
    if (signal.aborted) return;
    const turn = await findTurn(db.em.fork(), turnId);
    if (turn && turn.status !== "running") {
      yield { seq: last + 1, event: await finalEventOf(db, turn) };
      return;
    }
    // Still running somewhere: its events will come (or its recovery will end it).
    if (!(await bus.has(turnId))) await sleep(1000, signal);
  }
}

const busUnavailable: ChatEvent = {
  type: "error",
  code: "STREAM_UNAVAILABLE",
  message:
    "This answer cannot be followed live right now. It is still being written and will appear in the chat.",
  messageId: null,
  creditsCharged: 0,
};

/** The final event of a turn that has ended, from what was stored. */
export async function finalEventOf(db: Database, turn: TurnRecord): Promise<ChatEvent> {
  if (turn.status === "interrupted") return interruptedEvent(turn.credits, turn.assistantMessageId);
  if (turn.status === "failed") {
    return {
      type: "error",
      code: turn.errorCode ?? "MODEL_ERROR",
      message: "The answer failed.",
      messageId: turn.assistantMessageId,
      creditsCharged: turn.credits,
    };
  }
  return {
    type: "done",
    messageId: turn.assistantMessageId,
    content: turn.partial,
    status: turn.status === "done" ? "complete" : "incomplete",
    creditsCharged: turn.credits,
    balance: await getBalance(db.em.fork(), turn.userId),
    title: null,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
