import { metrics, recordSettlement } from "@parley/core";
import { type Database, openSideConnection, type SideConnection } from "@parley/db";
import type { ChatLogger } from "./chat-logger.ts";
import type { TurnBus } from "./turn-bus.ts";
import { interruptedEvent } from "./turn-runner.ts";
import {
  beatOwner,
  checkpointTurns,
  type FinishedTurn,
  type FinishTurnInput,
  finishTurn,
  forgetOwners,
  staleTurnIds,
  type TurnProgress,
} from "./turn-store.ts";

/** The process's heartbeat (its row in chat_turn_owners, however many turns it runs), this often. */
export const HEARTBEAT_MS = 2000;
/** Every running turn's progress (tokens, text) reaches the database this often. */
export const CHECKPOINT_MS = 2000;
/**
 * A turn whose owner's heartbeat is older than this belongs to a dead process. Fifteen beats: a live
 * process overloaded for a while is not mistaken for a dead one, and a dead one's holds are still
 * released well within a minute.
 */
export const STALE_SECONDS = 30;
/** How often each process looks for dead processes' turns. */
export const RECOVERY_MS = 5000;
/** How long a turn's end is retried through a database outage before it is left for recovery. */
const FINISH_RETRY_MS = 10 * 60_000;

export interface TurnKeeperOptions {
  db: Database;
  bus: TurnBus;
  owner: string;
  reservationTtlSeconds: number;
  logger: ChatLogger;
  runners: () => Iterable<{ turnId: string; progress(): TurnProgress }>;
}

/**
 * Keeps turns durable: beats this process's heartbeat, and checkpoints its turns' tokens and text
 * (pushing their reservations' expiry forward), each in one statement every two seconds; ends
 * turns exactly once, retrying through database outages; and settles the turns of processes that
 * died. Each task skips a round while its previous one still runs, so a slow database never queues
 * them up.
 */
export class TurnKeeper {
  readonly #options: TurnKeeperOptions;
  #timers: NodeJS.Timeout[] = [];
  #closing = false;
  /** The heartbeat's own connection, opened by the first beat. */
  #heartbeatConnection: Promise<SideConnection> | null = null;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(options: TurnKeeperOptions) {
    this.#options = options;
  }

  start(): void {
    const every = (ms: number, task: () => Promise<void>) => {
      let running: Promise<void> | null = null;
      const run = () => {
        if (running) return; // the previous round is still going: skip this one
        running = task().finally(() => {
          if (running) this.#inFlight.delete(running);
          running = null;
        });
        this.#inFlight.add(running);
      };
      const timer = setInterval(run, ms);
      timer.unref();
      this.#timers.push(timer);
      return run;
    };
    // The first beat goes at once; until it lands, a turn is not taken for dead (see staleTurnIds).
    every(HEARTBEAT_MS, () => this.heartbeat())();
    every(CHECKPOINT_MS, () => this.checkpoint());
    // Turns left running by a previous run of this server are recovered at once.
    every(RECOVERY_MS, () => this.recover())();
  }

  /** Shutdown has begun: finishing turns no longer waits out long outages. */
  closing(): void {
    this.#closing = true;
  }

  /** Stops the tasks (after this process's turns have ended) and takes away its heartbeat row. */
  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    await Promise.allSettled([...this.#inFlight]);
    const connection = this.#heartbeatConnection;
    this.#heartbeatConnection = null;
    await connection?.then((c) => c.close()).catch(() => undefined);
    const { db, owner, logger } = this.#options;
    await forgetOwners(db.em.fork(), owner, STALE_SECONDS).catch((error: unknown) =>
      logger.warn({ err: error }, "removing this process's heartbeat failed (recovery clears it later)"),
    );
  }

  /**
   * Beats on a connection of its own, not one of the pool's: with every pooled connection busy (a
   * burst of sends, a slow database) the beat would queue behind them, and a turn whose beats stop
   * for STALE_SECONDS is settled as interrupted by another process while it still streams here.
   */
  async heartbeat(): Promise<void> {
    const { owner, logger } = this.#options;
    try {
      await beatOwner(await this.#ownConnection(), owner);
    } catch (error) {
      logger.warn({ err: error }, "chat turn heartbeat failed (retrying)");
    }
  }

  /** The heartbeat's connection (a lost one is replaced by its pool on the next call). */
  #ownConnection(): Promise<SideConnection> {
    const { db, logger } = this.#options;
    this.#heartbeatConnection ??= openSideConnection(db, (error) =>
      logger.warn({ err: error }, "chat turn heartbeat connection lost (reconnecting)"),
    ).catch((error: unknown) => {
      this.#heartbeatConnection = null; // tried again by the next beat
      throw error;
    });
    return this.#heartbeatConnection;
  }

  async checkpoint(): Promise<void> {
    const { db, owner, reservationTtlSeconds, logger } = this.#options;
    const turns = [...this.#options.runners()].map((r) => r.progress());
    try {
      await checkpointTurns(db.em.fork(), owner, reservationTtlSeconds, turns);
    } catch (error) {
      logger.warn({ err: error, turns: turns.length }, "chat turn checkpoint failed (retrying)");
    }
  }

  /**
   * Settles the turns of dead processes from their checkpoints, tells their followers, and clears
   * the heartbeat rows of dead processes with nothing left running.
   */
  async recover(): Promise<void> {
    const { db, bus, logger } = this.#options;
    const mine = new Set([...this.#options.runners()].map((r) => r.turnId));
    try {
      await forgetOwners(db.em.fork(), null, STALE_SECONDS);
      for (const turnId of await staleTurnIds(db.em.fork(), STALE_SECONDS)) {
        if (mine.has(turnId)) continue; // alive here: only its checkpoints were late
        const finished = await finishTurn(db.em.fork(), {
          turnId,
          userId: null,
          owner: null,
          staleSeconds: STALE_SECONDS,
          status: "interrupted",
          settle: "aborted",
          progress: null,
          messageStatus: "incomplete",
          errorCode: "INTERRUPTED",
          error: "The server writing this answer stopped.",
        });
        if (!finished) continue; // another process got there first
        metrics.sweeper.inc({ action: "turn_recovered" });
        if (!finished.unexpectedSettlement)
          recordSettlement(finished.creditsCharged, Math.max(0, finished.held - finished.creditsCharged));
        logger.warn(
          { turnId, credits: finished.creditsCharged },
          "recovered a chat turn of a stopped process",
        );
        await bus.publishForeign(turnId, interruptedEvent(finished.creditsCharged, finished.messageId));
      }
    } catch (error) {
      logger.warn({ err: error }, "chat turn recovery failed (retrying)");
    }
  }

  /** Ends a turn this process owns, retrying with backoff while the database is unreachable. */
  async finish(input: Omit<FinishTurnInput, "owner" | "staleSeconds">): Promise<FinishedTurn | null> {
    const { db, owner, logger } = this.#options;
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await finishTurn(db.em.fork(), { ...input, owner, staleSeconds: STALE_SECONDS });
      } catch (error) {
        const giveUp = this.#closing ? attempt >= 3 : Date.now() - started > FINISH_RETRY_MS;
        if (giveUp || !isTransient(error)) throw error;
        const delay = Math.min(5000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);
        logger.warn({ err: error, turnId: input.turnId, attempt }, "storing a chat turn failed (retrying)");
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}

/** Connection-level failures are worth retrying; a refusal by the database's rules is not. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && /^(PL|23|22|42)/.test(code)) return false;
  return !(error instanceof Error && error.name === "DomainError");
}
