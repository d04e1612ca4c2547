import type { Database } from "./orm.ts";
import { type PgPool, pgPoolOf } from "./pg-pool.ts";

type PgPoolConstructor = new (options: Record<string, unknown>) => PgPool;

/** A connection of its own beside the database's pool (openSideConnection). */
export interface SideConnection {
  /** Runs one statement, `$1`, `$2`… standing for `values`, committed on its own. */
  execute(sql: string, values: unknown[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * One connection beside the database's pool, with that pool's settings: for a process's small
 * periodic statements that must not wait in the pool's queue while every pooled connection is busy
 * (the chat turns' heartbeat: were it to wait 30 s, another process would take this one's running
 * answers for those of a dead process). It is a pool of one (pg-pool), so a connection the server
 * closes is replaced by the next call; `onError` hears of one lost while idle.
 */
export async function openSideConnection(
  db: Database,
  onError: (error: Error) => void,
): Promise<SideConnection> {
  const pool = await pgPoolOf(db.em);
  const Pool = pool.constructor as PgPoolConstructor;
  // pg-pool keeps the password out of its options' enumerable keys: it is copied by name.
  const side = new Pool({ ...pool.options, password: pool.options.password, min: 0, max: 1 });
  side.on("error", onError);
  return {
    async execute(sql, values) {
      await side.query(sql, values);
    },
    close: () => side.end(),
  };
}
