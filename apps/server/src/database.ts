import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Database, migrateToLatest, openDatabase, pgPoolOf, startEmbeddedDatabase } from "@parley/db";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";

export interface ConnectedDatabase {
  db: Database;
  url: string;
  /** Human description for the start banner (never includes credentials). */
  description: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** False in a worker process (PARLEY_WORKERS): the primary applied the migrations before forking it. */
  migrate?: boolean;
}

/**
 * Connects to DATABASE_URL, or starts the embedded database in DATA_DIR when it is unset, then
 * applies pending migrations.
 */
export async function connectDatabase(
  config: Config,
  logger: Logger,
  options: ConnectOptions = {},
): Promise<ConnectedDatabase> {
  if (!config.DATABASE_URL) return connectEmbedded(config, logger);
  const url = config.DATABASE_URL;
  const parsed = new URL(url);
  const db = await openDatabase({ url, poolSize: config.DATABASE_POOL_SIZE });
  try {
    const applied = options.migrate === false ? [] : await migrateExclusively(db, url);
    if (applied.length > 0) logger.info({ applied }, "migrations applied");
  } catch (error) {
    await db.close();
    throw error;
  }
  // A `host=` parameter (a Unix socket's folder) overrides the URL's host, as libpq has it.
  const host = parsed.searchParams.get("host") ?? parsed.host;
  return { db, url, description: `PostgreSQL at ${host}${parsed.pathname}`, close: () => db.close() };
}

/**
 * The embedded database. Its memory (WebAssembly) never shrinks, and creating the data folder and
 * migrating touch far more of it than serving does: when either happened, that instance is stopped
 * and a fresh one serves, so the one-off peak does not stay resident for the life of the server.
 */
async function connectEmbedded(config: Config, logger: Logger): Promise<ConnectedDatabase> {
  const dataDir = join(config.DATA_DIR, "pglite");
  const fresh = !existsSync(join(dataDir, "PG_VERSION"));
  let connection = await openEmbedded(config, dataDir);
  try {
    const applied = await migrateToLatest(connection.db);
    if (applied.length > 0) logger.info({ applied }, "migrations applied");
    if (fresh || applied.length > 0) {
      await connection.close();
      connection = await openEmbedded(config, dataDir);
    }
  } catch (error) {
    await connection.close();
    throw error;
  }
  return connection;
}

async function openEmbedded(config: Config, dataDir: string): Promise<ConnectedDatabase> {
  const embedded = await startEmbeddedDatabase({ dataDir, maxConnections: config.DATABASE_POOL_SIZE + 4 });
  // PGlite allows one process per data folder: tell CLI tools where the running server serves it.
  await writeFile(embeddedUrlFile(config), JSON.stringify({ url: embedded.url, pid: process.pid }));
  // The embedded database serves all connections from one session: no named prepared statements.
  const db = await openDatabase({
    url: embedded.url,
    poolSize: config.DATABASE_POOL_SIZE,
    preparedStatements: false,
  });
  return {
    db,
    url: embedded.url,
    description: `embedded database in ${dataDir} (set DATABASE_URL for PostgreSQL)`,
    async close() {
      await db.close();
      await rm(embeddedUrlFile(config), { force: true });
      await embedded.stop();
    },
  };
}

/**
 * Migrates while holding a PostgreSQL advisory lock, so server processes starting together on an
 * old schema take turns: the first migrates, the others then find nothing pending. The lock lives
 * in a transaction on a connection of its own (the embedded database, one process, needs none).
 */
async function migrateExclusively(db: Database, url: string): Promise<string[]> {
  const lock = await openDatabase({ url, poolSize: 1 });
  // The pg client itself, outside MikroORM's transaction context (which the migrator would join).
  const client = await (await pgPoolOf(lock.em)).connect();
  try {
    await client.query("begin");
    await client.query("select pg_advisory_xact_lock(hashtextextended('parley_migrations', 0))");
    return await migrateToLatest(db);
  } finally {
    await client.query("commit").catch(() => {});
    client.release();
    await lock.close();
  }
}

const embeddedUrlFile = (config: Config) => join(config.DATA_DIR, "embedded-db.json");

/**
 * For CLI tools: the URL of the embedded database a running server is serving, or null when no
 * server is running on this DATA_DIR (then the tool may start the embedded database itself).
 */
export async function runningEmbeddedDatabaseUrl(config: Config): Promise<string | null> {
  try {
    const { url, pid } = JSON.parse(await readFile(embeddedUrlFile(config), "utf8")) as {
      url: string;
      pid: number;
    };
    process.kill(pid, 0); // throws when no such process
    return url;
  } catch {
    return null;
  }
}
