import { fileURLToPath } from "node:url";
import { Migrator } from "@mikro-orm/migrations";
import { defineConfig, type EntityManager, MikroORM, type Options } from "@mikro-orm/postgresql";
import { migrations } from "../migrations/index.ts";
import { entities } from "./entities/index.ts";
import { disablePreparedStatements } from "./prepared.ts";

export type { EntityManager };
export type Database = MikroORM;

/** Where `db:migration:create` writes new migration files (they are committed). */
export const migrationsDir = fileURLToPath(new URL("../migrations", import.meta.url));

export interface DatabaseOptions {
  /** A `postgres://` URL: the real server, or the embedded one's local socket. */
  url: string;
  /** Connections in the pool. */
  poolSize?: number;
  /** Log every SQL statement (through MikroORM's logger). */
  debug?: boolean;
  /**
   * Run the hot calls (queryPrepared) as named prepared statements; default true. False for the
   * embedded database, whose connections all share one session (see queryPrepared).
   */
  preparedStatements?: boolean;
}

export function databaseConfig(options: DatabaseOptions): Options {
  const poolSize = options.poolSize ?? 10;
  return defineConfig({
    clientUrl: options.url,
    // MikroORM reads only the host, port, user, password, database and schema out of the URL and
    // drops its parameters: `sslmode=require` (a managed PostgreSQL), `host=/var/run/postgresql`
    // (a Unix socket), `application_name`… would be ignored without a word. pg parses the whole
    // URL itself, as libpq does, when it is given as the pool's connection string.
    driverOptions: { connectionString: options.url },
    entities,
    extensions: [Migrator],
    // A fixed-size pool: connections open as load needs them and then stay open. pg-pool's default
    // closes one idle for 10 s, so a burst after a lull paid a new PostgreSQL backend per connection
    // (its fork, catalog caches, the PL/pgSQL functions compiled and the statements planned again):
    // at 100 chats starting at once, bench:stream's start calls waited on that.
    pool: { min: poolSize, max: poolSize },
    debug: options.debug ?? false,
    // Request handlers must fork their own EntityManager; a shared global context is a bug.
    allowGlobalContext: false,
    migrations: {
      path: migrationsDir,
      // Migrations are imported explicitly (see migrations/index.ts) rather than found by globbing,
      // so they load the same way under Node, Vitest and in the container image.
      migrationsList: migrations,
      snapshot: false,
      silent: true,
      emit: "ts",
    },
  });
}

/** Connects to the database. Does not touch the schema: call `migrateToLatest` for that. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const db = await MikroORM.init(databaseConfig(options));
  if (options.preparedStatements === false) disablePreparedStatements(db.config);
  return db;
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(db: Database): Promise<string[]> {
  const applied = await db.migrator.up();
  return applied.map((migration) => migration.name);
}

/** Names of migrations not yet applied (empty when the schema is current). */
export async function pendingMigrations(db: Database): Promise<string[]> {
  const pending = await db.migrator.getPending();
  return pending.map((migration) => migration.name);
}
