import { Redis } from "ioredis";
import type { ChatLogger } from "./chat-logger.ts";
import type { ChatEvent, SequencedEvent } from "./events.ts";
import { RedisTurnFollower } from "./redis-turn-follower.ts";
import { RedisTurnOutbox } from "./redis-turn-outbox.ts";
import { FINISHED_TTL_SECONDS, MAX_EVENTS, streamKey } from "./redis-turn-streams.ts";
import { LocalTurnBus, type TurnBus } from "./turn-bus.ts";

const STOP_CHANNEL = "parley:turn-stop";

/**
 * The bus over Redis: a stream per turn (`parley:turn:<id>`, trimmed, expiring) that any process
 * reads from any point, and a pub/sub channel for stop requests. Three connections per process,
 * however many streams are open: commands, one blocking XREAD that serves every reader of the
 * process at once (RedisTurnFollower), and the subscriber. Turns this process runs are also kept
 * in memory, so their local readers need no round trip and keep streaming while Redis is away;
 * RedisTurnOutbox mirrors them to Redis, and sends again what Redis missed once it is back.
 */
export class RedisTurnBus implements TurnBus {
  readonly #command: Redis;
  readonly #subscriber: Redis;
  readonly #local = new LocalTurnBus();
  readonly #outbox: RedisTurnOutbox;
  readonly #follower: RedisTurnFollower;
  readonly #stopHandlers: ((turnId: string) => void)[] = [];

  private constructor(command: Redis, logger: ChatLogger) {
    this.#command = command;
    this.#subscriber = command.duplicate();
    this.#outbox = new RedisTurnOutbox(command, this.#local, logger);
    const blocking = command.duplicate({ maxRetriesPerRequest: null });
    blocking.on("error", () => {}); // reported through the failed read, which is retried
    this.#follower = new RedisTurnFollower(command, blocking, logger);
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
    this.#subscriber.on("error", () => {});
    await this.#follower.start();
    await this.#subscriber.subscribe(STOP_CHANNEL);
    this.#subscriber.on("message", (_channel: string, turnId: string) => {
      for (const handler of this.#stopHandlers) handler(turnId);
    });
  }

  /** Appends the event in memory (local readers have it at once) and mirrors it to Redis. */
  async publish(turnId: string, event: ChatEvent): Promise<number> {
    const seq = this.#local.append(turnId, event);
    this.#outbox.changed(turnId);
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

  async has(turnId: string): Promise<boolean> {
    if (this.#local.hasLocal(turnId)) return true;
    return (await this.#command.exists(streamKey(turnId))) === 1;
  }

  async *read(turnId: string, afterSeq: number, signal: AbortSignal): AsyncGenerator<SequencedEvent> {
    if (this.#local.hasLocal(turnId)) yield* this.#local.read(turnId, afterSeq, signal);
    else yield* this.#follower.read(turnId, afterSeq, signal);
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
    // The last events go out before the connections close.
    await this.#outbox.close();
    await this.#follower.close();
    this.#subscriber.disconnect();
    await this.#command.quit().catch(() => this.#command.disconnect());
    await this.#local.close();
  }
}
