import { LRUCache } from "lru-cache";

/**
 * Carries user invalidations to the other server processes (Redis pub/sub when REDIS_URL is set).
 * `publish` resolves once the message is handed to the broker; received messages are applied with
 * `AuthCache.dropUser`.
 */
export interface AuthInvalidationBus {
  publish(userId: string): Promise<void>;
}

export interface AuthCacheOptions {
  /** How long a validated credential is trusted without asking the database (0: no caching). */
  ttlMs: number;
  /** At most this many credentials are kept (least recently used go first). */
  max: number;
}

interface Entry<T> {
  userId: string;
  value: T;
}

/**
 * Validated credentials (sessions and API keys), keyed by the token's hash, trusted for a few
 * seconds so an authenticated request costs no SQL round trip for who is calling.
 *
 * Every change that could refuse or alter a credential drops all of the user's entries at once, in
 * this process and (through the bus) in every other. A validation that was already reading the
 * database when an invalidation arrived does not store its answer (the generation moved on), so an
 * answer read before a logout can never be cached after it.
 */
export class AuthCache<T> {
  readonly #entries: LRUCache<string, Entry<T>> | null;
  #bus: AuthInvalidationBus | null = null;
  #generation = 0;

  constructor(options: AuthCacheOptions) {
    this.#entries = options.ttlMs > 0 ? new LRUCache({ max: options.max, ttl: options.ttlMs }) : null;
  }

  /** Sends this process's invalidations to the others too. */
  setBus(bus: AuthInvalidationBus | null): void {
    this.#bus = bus;
  }

  /**
   * The cached value for `key`, else what `load` finds: `value` is stored (for at most `ttlMs` and
   * never beyond `expiresAt`), `returned` (default: `value`) is answered this once.
   */
  async get(
    key: string,
    load: () => Promise<{ userId: string; value: T; returned?: T; expiresAt: Date | null } | null>,
  ): Promise<T | null> {
    const entries = this.#entries;
    if (!entries) {
      const found = await load();
      return found ? (found.returned ?? found.value) : null;
    }
    const hit = entries.get(key);
    if (hit) return hit.value;
    const generation = this.#generation;
    const found = await load();
    if (!found) return null;
    if (generation === this.#generation) {
      const left = found.expiresAt ? found.expiresAt.getTime() - Date.now() : Number.POSITIVE_INFINITY;
      if (left > 0) {
        entries.set(
          key,
          { userId: found.userId, value: found.value },
          left < (entries.ttl || left) ? { ttl: left } : {},
        );
      }
    }
    return found.returned ?? found.value;
  }

  /** Drops the user's entries here, then tells the other processes to do the same. */
  async invalidateUser(userId: string): Promise<void> {
    this.dropUser(userId);
    await this.#bus?.publish(userId);
  }

  /** Drops the user's entries in this process only (what a received invalidation does). */
  dropUser(userId: string): void {
    this.#generation++;
    const entries = this.#entries;
    if (!entries) return;
    for (const [key, entry] of entries.entries()) {
      if (entry.userId === userId) entries.delete(key);
    }
  }
}
