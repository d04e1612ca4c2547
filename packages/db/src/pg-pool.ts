import type { EntityManager } from "@mikro-orm/postgresql";

// MikroORM runs on a pg-pool. A few places need it itself, below the ORM: named prepared statements,
// a connection of its own beside it, the pool's gauges, a lock held outside MikroORM's transaction
// context. `pg` ships no types, so these are the parts Parley uses, declared once.

/** A connection checked out of the pool (`pool.connect()`); `release` gives it back. */
export interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<PgResult>;
  query(text: string, values?: unknown[]): Promise<PgResult>;
  release(destroy?: boolean): void;
  /**
   * pg's pipeline mode: each query goes out at once, without waiting for the answers of those
   * before it. Only switched while the connection is idle (see queryPreparedTogether).
   */
  pipeline: boolean;
}

export interface PgResult {
  rows: Record<string, unknown>[];
}

export interface PgPool {
  /** The settings it was made with (the password is kept out of the enumerable keys). */
  readonly options: Record<string, unknown> & { password?: unknown };
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  connect(): Promise<PgClient>;
  query(text: string, values?: unknown[]): Promise<PgResult>;
  on(event: "error", listener: (error: Error) => void): unknown;
  /** Each time a connection is checked out (tests count them). */
  on(event: "acquire", listener: (client: PgClient) => void): unknown;
  end(): Promise<void>;
}

/** MikroORM's pool. Looked up on every call: closing and reconnecting the ORM replaces it. */
export async function pgPoolOf(em: EntityManager): Promise<PgPool> {
  return (await em.getConnection().getNativeClient()) as PgPool;
}
