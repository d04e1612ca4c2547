import { type ChatEvent, isFinal, type SequencedEvent } from "./events.ts";

/**
 * Carries each turn's events from the process that runs it to every client following it, and
 * stop requests back. In process by default (one server process); over Redis with REDIS_URL
 * (several processes: any of them can stream or stop any turn).
 */
export interface TurnBus {
  /** Appends an event to the turn's stream; returns its sequence number. */
  publish(turnId: string, event: ChatEvent): Promise<number>;
  /**
   * An event for a turn this process does not run (the end of a dead process's turn, announced by
   * the process that recovered it): appended after whatever the stream holds.
   */
  publishForeign(turnId: string, event: ChatEvent): Promise<void>;
  /** Whether the bus still has the turn's stream (running, or finished within the retention time). */
  has(turnId: string): Promise<boolean>;
  /**
   * The turn's events after `afterSeq`, then new ones as they come, until a final event, the
   * `signal`, or the stream's end. Throws when the bus is unreachable.
   */
  read(turnId: string, afterSeq: number, signal: AbortSignal): AsyncGenerator<SequencedEvent>;
  /** Asks whichever process runs the turn to stop it. */
  requestStop(turnId: string): Promise<void>;
  /** Called on every process for every stop request. */
  onStop(handler: (turnId: string) => void): void;
  /** For readiness: null when healthy, else what is wrong. */
  problem(): Promise<string | null>;
  close(): Promise<void>;
}

/** How long a finished turn's events stay replayable (the issue asks for at least a minute). */
export const FINISHED_RETENTION_MS = 90_000;

interface LocalStream {
  events: SequencedEvent[];
  finished: boolean;
  wakers: Set<() => void>;
}

/** The bus inside one process: each turn's events in memory, dropped a while after it ends. */
export class LocalTurnBus implements TurnBus {
  readonly #streams = new Map<string, LocalStream>();
  readonly #stopHandlers: ((turnId: string) => void)[] = [];

  async publish(turnId: string, event: ChatEvent): Promise<number> {
    return this.append(turnId, event);
  }

  async publishForeign(turnId: string, event: ChatEvent): Promise<void> {
    if (this.#streams.has(turnId)) this.append(turnId, event);
  }

  /** Synchronous append (the Redis bus mirrors its own turns here). */
  append(turnId: string, event: ChatEvent): number {
    let stream = this.#streams.get(turnId);
    if (!stream) {
      stream = { events: [], finished: false, wakers: new Set() };
      this.#streams.set(turnId, stream);
    }
    if (stream.finished) return stream.events.length;
    const seq = stream.events.length + 1;
    stream.events.push({ seq, event });
    if (isFinal(event)) {
      stream.finished = true;
      setTimeout(() => this.#streams.delete(turnId), FINISHED_RETENTION_MS).unref();
    }
    const wakers = [...stream.wakers];
    stream.wakers.clear();
    for (const wake of wakers) wake();
    return seq;
  }

  /** Events after `afterSeq` already in memory (for the Redis bus to forward). */
  eventsAfter(turnId: string, afterSeq: number): SequencedEvent[] {
    return this.#streams.get(turnId)?.events.slice(afterSeq) ?? [];
  }

  hasLocal(turnId: string): boolean {
    return this.#streams.has(turnId);
  }

  async has(turnId: string): Promise<boolean> {
    return this.#streams.has(turnId);
  }

  async *read(turnId: string, afterSeq: number, signal: AbortSignal): AsyncGenerator<SequencedEvent> {
    const stream = this.#streams.get(turnId);
    if (!stream) return;
    let next = afterSeq;
    let wake: (() => void) | null = null;
    const onAbort = () => wake?.();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      while (!signal.aborted) {
        while (next < stream.events.length) {
          const item = stream.events[next] as SequencedEvent;
          next += 1;
          yield item;
          if (isFinal(item.event)) return;
        }
        if (stream.finished) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
          stream.wakers.add(resolve);
        });
        wake = null;
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  async requestStop(turnId: string): Promise<void> {
    for (const handler of this.#stopHandlers) handler(turnId);
  }

  onStop(handler: (turnId: string) => void): void {
    this.#stopHandlers.push(handler);
  }

  async problem(): Promise<string | null> {
    return null;
  }

  async close(): Promise<void> {
    this.#streams.clear();
  }
}
