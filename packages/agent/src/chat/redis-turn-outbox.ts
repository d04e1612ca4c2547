import type { ChainableCommander, Redis } from "ioredis";
import type { ChatLogger } from "./chat-logger.ts";
import { isFinal } from "./events.ts";
import {
  entryId,
  FINISHED_TTL_SECONDS,
  MAX_EVENTS,
  RUNNING_TTL_SECONDS,
  streamKey,
} from "./redis-turn-streams.ts";
import { FINISHED_RETENTION_MS, type LocalTurnBus } from "./turn-bus.ts";

/** A second: how soon a write Redis refused or missed is tried again when nothing else comes. */
const RETRY_MS = 1000;

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
 * Mirrors the turns this process runs from memory (`local`) to their Redis streams, one pipeline
 * at a time. A turn with a new event and no write under way is written at once; otherwise its
 * events wait for that write's answer and go with every event that came meanwhile: a lone answer
 * waits for nothing, and a busy process makes one round trip per batch instead of four commands
 * per event. Readers on other processes need no particular timing: their blocking read picks a
 * stream up whenever it appears.
 */
export class RedisTurnOutbox {
  readonly #command: Redis;
  readonly #local: LocalTurnBus;
  readonly #logger: ChatLogger;
  readonly #outboxes = new Map<string, Outbox>();
  /** Turns with events Redis has not got yet. */
  readonly #unflushed = new Set<string>();
  /** The pipeline on its way to Redis, if any. */
  #writing: Promise<void> | null = null;
  #retryTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(command: Redis, local: LocalTurnBus, logger: ChatLogger) {
    this.#command = command;
    this.#local = local;
    this.#logger = logger;
  }

  /** The turn has a new event in memory: it goes now, or with the next pipeline. */
  changed(turnId: string): void {
    this.#unflushed.add(turnId);
    if (!this.#writing && this.#retryTimer === undefined) this.#write();
  }

  /** Sends what is left (one more try for what failed) and stops retrying. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    await this.#writing;
    if (this.#unflushed.size > 0) {
      this.#write();
      await this.#writing;
    }
  }

  /**
   * One pipeline with what Redis has not got yet of every turn's events, in order. Ids are the
   * owner's sequence numbers, so an event that got through before a lost answer is refused as a
   * duplicate, which is fine. What failed stays unflushed: it goes again with the next write, or
   * after RETRY_MS if nothing else comes (a turn's last event must get through).
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
    }, RETRY_MS);
    this.#retryTimer.unref();
  }
}
