import { metrics } from "@parley/core";
import { type ChainableCommander, Redis } from "ioredis";
import type { ChatLogger } from "./chat-logger.ts";
import { type ChatEvent, isFinal, type SequencedEvent } from "./events.ts";
import { FINISHED_RETENTION_MS, LocalTurnBus, type TurnBus } from "./turn-bus.ts";

const streamKey = (turnId: string) => `parley:turn:${turnId}`;
const STOP_CHANNEL = "parley:turn-stop";
/** Far more events than the longest answer makes; the stream is trimmed beyond that. */
const MAX_EVENTS = 50_000;
const RUNNING_TTL_SECONDS = 3600;
const FINISHED_TTL_SECONDS = Math.ceil(FINISHED_RETENTION_MS / 1000) + 30;
const BLOCK_MS = 5000;
/**
 * New readers within this window (ms) join the blocking read together: re-issuing it for each one
 * would send every followed key again per reader, O(n²) keys when n streams open at once.
 */
const JOIN_BATCH_MS = 20;

/** Entry ids are `0-<seq>`: the owner numbers its turn's events, so ids mean the same everywhere. */
const entryId = (seq: number) => `0-${seq}`;
const seqOf = (id: string) => Number(id.slice(id.indexOf("-") + 1));

type StreamEntries = [id: string, fields: string[]][];

interface Reader {
  last: number;
  deliver(events: SequencedEvent[]): void;
}

interface Outbox {
  /** Events up to here are in Redis. */
  flushed: number;
  /** When the stream's expiry was last set (ms since the epoch), to refresh it on a long answer. */
  expirySetAt: number;
}

/** One turn's share of a pipeline: its events up to `upTo`, in `commands` commands. */
interface OutboxWrite {
  turnId: string;
  box: Outbox;
  upTo: number;
  final: boolean;
  setsExpiry: boolean;
  commands: number;
}

/**
 * The bus over Redis: a stream per turn (`parley:turn:<id>`, trimmed, expiring) that any process
 * reads from any point, and a pub/sub channel for stop requests. Three connections per process,
 * however many streams are open: commands, one blocking XREAD that serves every reader of the
 * process at once, and the subscriber. Turns this process runs are also kept in memory, so their
 * local readers need no round trip and keep streaming while Redis is away; what Redis missed is
 * sent again once it is back.
 */
export class RedisTurnBus implements TurnBus {
  readonly #command: Redis;
  readonly #blocking: Redis;
  readonly #subscriber: Redis;
  readonly #logger: ChatLogger;
  readonly #local = new LocalTurnBus();
  readonly #outboxes = new Map<string, Outbox>();
  /** Turns with events Redis has not got yet. */
  readonly #unflushed = new Set<string>();
  /** The pipeline on its way to Redis, if any. */
  #writing: Promise<void> | null = null;
  #retryTimer: NodeJS.Timeout | undefined;
  /** Readers following turns through Redis, by turn. */
  readonly #readers = new Map<string, Set<Reader>>();
  readonly #stopHandlers: ((turnId: string) => void)[] = [];
  #blockingClientId: number | null = null;
  #blocked = false;
  #joinPending = false;
  #wakeLoop: (() => void) | null = null;
  #closed = false;
  #loop: Promise<void> = Promise.resolve();

  private constructor(command: Redis, logger: ChatLogger) {
    this.#command = command;
    this.#blocking = command.duplicate({ maxRetriesPerRequest: null });
    this.#subscriber = command.duplicate();
    this.#logger = logger;
  }

  /** Connects, or fails naming REDIS_URL (start-up stops: a half-configured cluster is worse). */
  static async connect(url: string, logger: ChatLogger): Promise<RedisTurnBus> {
    const command = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5000 });
    command.on("error", () => {}); // reported through failed commands and problem()
    try {
      await command.connect();
      await command.ping();
    } catch (error) {
      command.disconnect();
      const where = new URL(url).host;
      throw new Error(
        `REDIS_URL: cannot reach Redis at ${where} (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    const bus = new RedisTurnBus(command, logger);
    await bus.#start();
    return bus;
  }

  async #start(): Promise<void> {
    for (const connection of [this.#blocking, this.#subscriber]) connection.on("error", () => {});
    this.#blockingClientId = Number(await this.#blocking.client("ID"));
    this.#blocking.on("ready", () => {
      this.#blocking.client("ID").then(
        (id) => {
          this.#blockingClientId = Number(id);
        },
        () => {},
      );
    });
    await this.#subscriber.subscribe(STOP_CHANNEL);
    this.#subscriber.on("message", (_channel: string, turnId: string) => {
      for (const handler of this.#stopHandlers) handler(turnId);
    });
    this.#loop = this.#readLoop();
  }

  /**
   * Appends the event in memory (local readers have it at once) and mirrors it to Redis. With no
   * write to Redis under way it is written now; otherwise it waits for that write's answer and goes
   * with every event that came meanwhile, in one pipeline: a lone answer waits for nothing, and a
   * busy process makes one round trip per batch instead of four commands per event. Readers on
   * other processes need no particular timing: their blocking read picks the stream up whenever
   * it appears.
   */
  async publish(turnId: string, event: ChatEvent): Promise<number> {
    const seq = this.#local.append(turnId, event);
    this.#unflushed.add(turnId);
    if (!this.#writing && this.#retryTimer === undefined) this.#write();
    return seq;
  }

  /**
   * An event for a turn this process does not run (a recovered turn of a dead process): appended
   * after whatever the stream holds.
   */
  async publishForeign(turnId: string, event: ChatEvent): Promise<void> {
    await this.#command
      .multi()
      .xadd(streamKey(turnId), "MAXLEN", "~", MAX_EVENTS, "0-*", "e", JSON.stringify(event))
      .expire(streamKey(turnId), FINISHED_TTL_SECONDS)
      .exec();
  }

  /**
   * One pipeline with what Redis has not got yet of every turn's events, in order. Ids are the
   * owner's sequence numbers, so an event that got through before a lost answer is refused as a
   * duplicate, which is fine. What failed stays unflushed: it goes again with the next write, or
   * after a second if nothing else comes (a turn's last event must get through).
   */
  #write(): void {
    const batch = this.#command.pipeline();
    const now = Date.now();
    const writes: OutboxWrite[] = [];
    for (const turnId of this.#unflushed) {
      const write = this.#queueTurn(batch, turnId, now);
      if (write) writes.push(write);
    }
    this.#unflushed.clear();
    this.#writing = batch
      .exec()
      .then((results) => this.#settleWrites(writes, results ?? [], now))
      .catch((error: unknown) => this.#retryLater(writes, error))
      .finally(() => {
        this.#writing = null;
        if (this.#unflushed.size > 0 && !this.#closed && this.#retryTimer === undefined) this.#write();
      });
  }

  /** Adds a turn's unflushed events (and its expiry when due) to the pipeline. */
  #queueTurn(batch: ChainableCommander, turnId: string, now: number): OutboxWrite | null {
    let box = this.#outboxes.get(turnId);
    if (!box) {
      box = { flushed: 0, expirySetAt: 0 };
      this.#outboxes.set(turnId, box);
    }
    const pending = this.#local.eventsAfter(turnId, box.flushed);
    const last = pending.at(-1);
    if (!last) return null;
    const key = streamKey(turnId);
    for (const { seq, event } of pending) {
      batch.xadd(key, "MAXLEN", "~", MAX_EVENTS, entryId(seq), "e", JSON.stringify(event), "t", String(now));
    }
    const final = isFinal(last.event);
    const setsExpiry = final || now - box.expirySetAt > (RUNNING_TTL_SECONDS * 1000) / 2;
    if (setsExpiry) batch.expire(key, final ? FINISHED_TTL_SECONDS : RUNNING_TTL_SECONDS);
    return {
      turnId,
      box,
      upTo: last.seq,
      final,
      setsExpiry,
      commands: pending.length + (setsExpiry ? 1 : 0),
    };
  }

  #settleWrites(writes: OutboxWrite[], results: [Error | null, unknown][], now: number): void {
    const failed: OutboxWrite[] = [];
    let at = 0;
    for (const write of writes) {
      const replies = results.slice(at, at + write.commands);
      at += write.commands;
      const error = replies.find(([e]) => e && !/equal or smaller/.test(e.message))?.[0];
      if (error || replies.length < write.commands) {
        failed.push(write);
        continue;
      }
      write.box.flushed = Math.max(write.box.flushed, write.upTo);
      if (write.setsExpiry) write.box.expirySetAt = now;
      if (write.final) setTimeout(() => this.#outboxes.delete(write.turnId), FINISHED_RETENTION_MS).unref();
    }
    if (failed.length > 0) this.#retryLater(failed, results.find(([e]) => e)?.[0]);
  }

  #retryLater(writes: OutboxWrite[], error: unknown): void {
    if (writes.length === 0) return;
    this.#logger.warn(
      { err: error, turns: writes.length },
      "event bus: could not publish to Redis (will retry)",
    );
    for (const write of writes) this.#unflushed.add(write.turnId);
    if (this.#retryTimer !== undefined || this.#closed) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (!this.#writing && this.#unflushed.size > 0 && !this.#closed) this.#write();
    }, 1000);
    this.#retryTimer.unref();
  }

  async has(turnId: string): Promise<boolean> {
    if (this.#local.hasLocal(turnId)) return true;
    return (await this.#command.exists(streamKey(turnId))) === 1;
  }

  async *read(turnId: string, afterSeq: number, signal: AbortSignal): AsyncGenerator<SequencedEvent> {
    if (this.#local.hasLocal(turnId)) {
      yield* this.#local.read(turnId, afterSeq, signal);
      return;
    }
    let last = afterSeq;
    // Catch up with what is there, then follow with the shared blocking reader.
    for (;;) {
      const entries = (await this.#command.xrange(
        streamKey(turnId),
        `(${entryId(last)}`,
        "+",
        "COUNT",
        1000,
      )) as StreamEntries;
      for (const event of toEvents(entries)) {
        last = event.seq;
        yield event;
        if (isFinal(event.event)) return;
      }
      if (entries.length < 1000 || signal.aborted) break;
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
      const cursors = new Map<string, number>();
      for (const [turnId, followers] of this.#readers) {
        let cursor = Number.POSITIVE_INFINITY;
        for (const reader of followers) cursor = Math.min(cursor, reader.last);
        cursors.set(turnId, cursor);
      }
      const turnIds = [...cursors.keys()];
      let result: [key: string, entries: StreamEntries][] | null;
      try {
        this.#blocked = true;
        result = (await this.#blocking.xread(
          "COUNT",
          1000,
          "BLOCK",
          BLOCK_MS,
          "STREAMS",
          ...turnIds.map(streamKey),
          ...turnIds.map((id) => entryId(cursors.get(id) ?? 0)),
        )) as [string, StreamEntries][] | null;
      } catch (error) {
        if (this.#closed) return;
        this.#logger.warn({ err: error }, "event bus: blocking read failed (retrying)");
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      } finally {
        this.#blocked = false;
      }
      const now = Date.now();
      for (const [key, entries] of result ?? []) {
        const turnId = key.slice(streamKey("").length);
        const events = toEvents(entries);
        for (const [, fields] of entries) {
          const sent = Number(fields[fields.indexOf("t") + 1]);
          if (sent > 0) metrics.busLag.observe(Math.max(0, now - sent) / 1000);
        }
        for (const reader of this.#readers.get(turnId) ?? []) reader.deliver(events);
      }
    }
  }

  async requestStop(turnId: string): Promise<void> {
    await this.#command.publish(STOP_CHANNEL, turnId);
  }

  onStop(handler: (turnId: string) => void): void {
    this.#stopHandlers.push(handler);
  }

  async problem(): Promise<string | null> {
    try {
      await this.#command.ping();
      return null;
    } catch (error) {
      return `redis: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    // The last events go out before the connections close (one more try for any that failed).
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    await this.#writing;
    if (this.#unflushed.size > 0) {
      this.#write();
      await this.#writing;
    }
    this.#wakeLoop?.();
    this.#blocking.disconnect();
    await this.#loop;
    this.#subscriber.disconnect();
    await this.#command.quit().catch(() => this.#command.disconnect());
    await this.#local.close();
  }
}

function toEvents(entries: StreamEntries): SequencedEvent[] {
  const events: SequencedEvent[] = [];
  for (const [id, fields] of entries) {
    const json = fields[fields.indexOf("e") + 1];
    if (json) events.push({ seq: seqOf(id), event: JSON.parse(json) as ChatEvent });
  }
  return events;
}
