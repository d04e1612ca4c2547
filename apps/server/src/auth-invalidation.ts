import type { AuthInvalidationBus, SessionManager } from "@parley/auth";
import { Redis } from "ioredis";
import type { Logger } from "./logger.ts";

/** Carries user ids whose cached sessions and API keys every process must forget. */
export const AUTH_INVALIDATION_CHANNEL = "parley:auth-invalidate";

/**
 * Cross-process invalidation of the session cache over Redis pub/sub: two connections per process
 * (publishing, and one subscriber). Should Redis be away, a publish is logged and dropped: the
 * other processes' caches forget on their own within AUTH_CACHE_TTL_MS.
 */
export class RedisAuthInvalidation implements AuthInvalidationBus {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #logger: Logger;

  private constructor(publisher: Redis, subscriber: Redis, logger: Logger) {
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#logger = logger;
  }

  /** Subscribes, then routes this process's invalidations through Redis. */
  static async connect(
    url: string,
    sessions: SessionManager,
    logger: Logger,
  ): Promise<RedisAuthInvalidation> {
    const publisher = new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 5000 });
    const subscriber = publisher.duplicate();
    publisher.on("error", () => {}); // reported through failed publishes
    subscriber.on("error", (err: unknown) => logger.warn({ err }, "auth invalidation subscriber error"));
    subscriber.on("message", (_channel: string, userId: string) => sessions.dropCachedUser(userId));
    await subscriber.subscribe(AUTH_INVALIDATION_CHANNEL);
    const bus = new RedisAuthInvalidation(publisher, subscriber, logger);
    sessions.setInvalidationBus(bus);
    return bus;
  }

  async publish(userId: string): Promise<void> {
    try {
      await this.#publisher.publish(AUTH_INVALIDATION_CHANNEL, userId);
    } catch (err) {
      this.#logger.warn(
        { err, userId },
        "auth invalidation not published; other processes forget within the cache TTL",
      );
    }
  }

  close(): void {
    this.#publisher.disconnect();
    this.#subscriber.disconnect();
  }
}
