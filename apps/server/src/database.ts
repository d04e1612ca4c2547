import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type Database,
  type EmbeddedDatabase,
  migrateToLatest,
  openDatabase,
  startEmbeddedDatabase,
} from "@parley/db";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";

export interface ConnectedDatabase {
  db: Database;
  url: string;
  /** Human description for the start banner (never includes credentials). */
  description: string;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded database in DATA_DIR when it is unset, then
 * applies pending migrations.
 */
export async function connectDatabase(config: Config, logger: Logger): Promise<ConnectedDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.DATABASE_URL;
  let description: string;
  if (url) {
    const parsed = new URL(url);
    description = `PostgreSQL at ${parsed.host}${parsed.pathname}`;
  } else {
    const dataDir = join(config.DATA_DIR, "pglite");
    embedded = await startEmbeddedDatabase({ dataDir, maxConnections: config.DATABASE_POOL_SIZE + 4 });
    url = embedded.url;
    description = `embedded database in ${dataDir} (set DATABASE_URL for PostgreSQL)`;
    // PGlite allows one process per data folder: tell CLI tools where the running server serves it.
    await writeFile(embeddedUrlFile(config), JSON.stringify({ url, pid: process.pid }));
  }

  const db = await openDatabase({ url, poolSize: config.DATABASE_POOL_SIZE });
  try {
    const applied = embedded ? await migrateToLatest(db) : await migrateExclusively(db, url);
    if (applied.length > 0) logger.info({ applied }, "migrations applied");
  } catch (error) {
    await db.close();
    await stopEmbedded();
    throw error;
  }
  return {
    db,
    url,
    description,
    async close() {
      await db.close();
      await stopEmbedded();
    },
  };

  async function stopEmbedded() {
    if (!embedded) return;
    await rm(embeddedUrlFile(config), { force: true });
    await embedded.stop();
  }
}

/**
 * Migrates while holding a PostgreSQL advisory lock, so server processes starting together on an
 * old schema take turns: the first migrates, the others then find nothing pending. The lock lives
 * in a transaction on a connection of its own (the embedded database, one process, needs none).
 */
async function migrateExclusively(db: Database, url: string): Promise<string[]> {
  const lock = await openDatabase({ url, poolSize: 1 });
  // The pg client itself, outside MikroORM's transaction context (which the migrator would join).
  const pool = (await lock.em.getConnection().getNativeClient()) as {
    connect(): Promise<{ query(sql: string): Promise<unknown>; release(): void }>;
  };
  const client = await pool.connect();
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
