import type { Balance } from "@parley/accounting";

/** What a client receives while an answer is produced (tRPC subscription events). */
export type ChatEvent =
  | {
      type: "started";
      turnId: string;
      sessionId: string | null;
      userMessageId: string | null;
      reservationId: string;
      modelId: string;
      held: number;
    }
  | { type: "token"; text: string }
  | { type: "toolCall"; id: string; name: string; args: Record<string, unknown> }
  | { type: "toolResult"; id: string; name: string; result: string }
  | { type: "usage"; inputTokens: number; outputTokens: number }
  | {
      type: "done";
      messageId: string | null;
      content: string;
      status: "complete" | "incomplete";
      creditsCharged: number;
      balance: Balance;
      title: string | null;
    }
  | {
      type: "error";
      code: string;
      message: string;
      messageId: string | null;
      creditsCharged: number;
      available?: number | undefined;
    };

export interface SequencedEvent {
  seq: number;
  event: ChatEvent;
}

/**
 * One answer being produced, decoupled from the connection that asked for it: events are
 * buffered with sequence numbers, so a client that reconnects (tRPC's `lastEventId`) resumes
 * where it left off. When the last listener goes away and does not come back within the grace
 * period, the turn is aborted (the model call is cancelled and the partial answer charged).
 */
export class Turn {
  readonly id = crypto.randomUUID();
  readonly userId: string;
  readonly sessionId: string | null;
  readonly controller = new AbortController();
  #events: ChatEvent[] = [];
  #finished = false;
  #wakers = new Set<() => void>();
  #listeners = 0;
  #grace: NodeJS.Timeout | undefined;
  readonly #graceMs: number;

  constructor(userId: string, sessionId: string | null, graceMs: number) {
    this.userId = userId;
    this.sessionId = sessionId;
    this.#graceMs = graceMs;
  }

  get finished(): boolean {
    return this.#finished;
  }

  push(event: ChatEvent): void {
    if (this.#finished) return;
    this.#events.push(event);
    this.#wake();
  }

  finish(): void {
    this.#finished = true;
    clearTimeout(this.#grace);
    this.#wake();
  }

  /** Events from `fromSeq` on, then new ones as they come, until the turn ends or `signal` aborts. */
  async *listen(fromSeq: number, signal: AbortSignal): AsyncGenerator<SequencedEvent> {
    this.#listeners += 1;
    clearTimeout(this.#grace);
    try {
      let next = fromSeq;
      while (!signal.aborted) {
        while (next < this.#events.length) {
          yield { seq: next, event: this.#events[next] as ChatEvent };
          next += 1;
        }
        if (this.#finished) return;
        await new Promise<void>((resolve) => {
          this.#wakers.add(resolve);
          signal.addEventListener("abort", () => resolve(), { once: true });
        });
      }
    } finally {
      this.#listeners -= 1;
      if (this.#listeners === 0 && !this.#finished) {
        this.#grace = setTimeout(
          () => this.controller.abort(new Error("client disconnected")),
          this.#graceMs,
        );
      }
    }
  }

  #wake(): void {
    const wakers = [...this.#wakers];
    this.#wakers.clear();
    for (const wake of wakers) wake();
  }
}
