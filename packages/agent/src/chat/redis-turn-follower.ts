import { metrics } from "@parley/core";
import type { Redis } from "ioredis";
import type { ChatLogger } from "./chat-logger.ts";
import { isFinal, type SequencedEvent } from "./events.ts";
import { entryId, type StreamEntries, streamKey, toEvents, turnIdOfKey } from "./redis-turn-streams.ts";

const BLOCK_MS = 5000;
/** What one XRANGE or XREAD asks for at most. */
const PAGE = 1000;
/**
 * New readers within this window (ms) join the blocking read together: re-issuing it for each one
 * would send every followed key again per reader, O(n²) keys when n streams open at once.
 */
const JOIN_BATCH_MS = 20;

interface Reader {
  last: number;
  deliver(events: SequencedEvent[]): void;
}

/**
 * Follows turns other processes run, through their Redis streams: a reader catches up with XRANGE,
 * then waits on one blocking XREAD that serves every reader of the process at once (on its own
 * connection, `blocking`, which it closes), however many streams are open.
 */
export class RedisTurnFollower {
  readonly #command: Redis;
  readonly #blocking: Redis;
  readonly #logger: ChatLogger;
  /** Readers by turn. */
  readonly #readers = new Map<string, Set<Reader>>();
  #blockingClientId: number | null = null;
  #blocked = false;
  #joinPending = false;
  #wakeLoop: (() => void) | null = null;
  #closed = false;
  #loop: Promise<void> = Promise.resolve();

  constructor(command: Redis, blocking: Redis, logger: ChatLogger) {
    this.#command = command;
    this.#blocking = blocking;
    this.#logger = logger;
  }

  /** Learns the blocking connection's client id (to unblock it when readers join) and starts reading. */
  async start(): Promise<void> {
    this.#blockingClientId = Number(await this.#blocking.client("ID"));
    this.#blocking.on("ready", () => {
      this.#blocking.client("ID").then(
        (id) => {
          this.#blockingClientId = Number(id);
        },
        () => {},
      );
    });
    this.#loop = this.#readLoop();
  }

  async *read(turnId: string, afterSeq: number, signal: AbortSignal): AsyncGenerator<SequencedEvent> {
    let last = afterSeq;
    // Catch up with what is there, then follow with the shared blocking reader.
    for (;;) {
      const from = `(${entryId(last)}`;
      const entries = (await this.#command.xrange(
        streamKey(turnId),
        from,
        "+",
        "COUNT",
        PAGE,
      )) as StreamEntries;
      for (const event of toEvents(entries)) {
        last = event.seq;
        yield event;
        if (isFinal(event.event)) return;
      }
      if (entries.length < PAGE || signal.aborted) break;
    }
    const queue: SequencedEvent[] = [];
    let wake: (() => void) | null = null;
    const reader: Reader = {
      last,
      deliver: (events) => {
        for (const event of events) {
          if (event.seq <= reader.last) continue;
          reader.last = event.seq;
          queue.push(event);
        }
        wake?.();
      },
    };
    const onAbort = () => wake?.();
    signal.addEventListener("abort", onAbort, { once: true });
    let followers = this.#readers.get(turnId);
    if (!followers) {
      followers = new Set();
      this.#readers.set(turnId, followers);
    }
    followers.add(reader);
    this.#kick();
    try {
      while (!signal.aborted) {
        const event = queue.shift();
        if (event) {
          yield event;
          if (isFinal(event.event)) return;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      followers.delete(reader);
      if (followers.size === 0 && this.#readers.get(turnId) === followers) this.#readers.delete(turnId);
    }
  }

  /** Ends the blocking read: disconnects its connection, which interrupts it. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wakeLoop?.();
    this.#blocking.disconnect();
    await this.#loop;
  }

  /**
   * Makes the blocking reader pick up new readers soon rather than at its next timeout: one
   * re-issue for all the readers that joined within JOIN_BATCH_MS.
   */
  #kick(): void {
    if (this.#joinPending) return;
    this.#joinPending = true;
    setTimeout(() => {
      this.#joinPending = false;
      this.#wakeLoop?.();
      if (this.#blocked && this.#blockingClientId !== null) {
        this.#blocked = false;
        this.#command.client("UNBLOCK", this.#blockingClientId).catch(() => {});
      }
    }, JOIN_BATCH_MS).unref();
  }

  /** One XREAD for every stream this process follows, delivering each entry to its readers. */
  async #readLoop(): Promise<void> {
    while (!this.#closed) {
      if (this.#readers.size === 0) {
        await new Promise<void>((resolve) => {
          this.#wakeLoop = resolve;
        });
        this.#wakeLoop = null;
        continue;
      }
      let result: [key: string, entries: StreamEntries][] | null;
      try {
        this.#blocked = true;
        result = await this.#readFollowed();
      } catch (error) {
        if (this.#closed) return;
        this.#logger.warn({ err: error }, "event bus: blocking read failed (retrying)");
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      } finally {
        this.#blocked = false;
      }
      this.#deliver(result ?? []);
    }
  }

  /** The blocking XREAD, from the least any reader of each followed turn has seen. */
  async #readFollowed(): Promise<[key: string, entries: StreamEntries][] | null> {
    const cursors = new Map<string, number>();
    for (const [turnId, followers] of this.#readers) {
      let cursor = Number.POSITIVE_INFINITY;
      for (const reader of followers) cursor = Math.min(cursor, reader.last);
      cursors.set(turnId, cursor);
    }
    const turnIds = [...cursors.keys()];
    return (await this.#blocking.xread(
      "COUNT",
      PAGE,
      "BLOCK",
      BLOCK_MS,
      "STREAMS",
      ...turnIds.map(streamKey),
      ...turnIds.map((id) => entryId(cursors.get(id) ?? 0)),
    )) as [string, StreamEntries][] | null;
  }

  #deliver(result: [key: string, entries: StreamEntries][]): void {
    const now = Date.now();
    for (const [key, entries] of result) {
      const events = toEvents(entries);
      for (const [, fields] of entries) {
        const sent = Number(fields[fields.indexOf("t") + 1]);
        if (sent > 0) metrics.busLag.observe(Math.max(0, now - sent) / 1000);
      }
      for (const reader of this.#readers.get(turnIdOfKey(key)) ?? []) reader.deliver(events);
    }
  }
}
