// The database pool keeps the connections it has opened: a burst after a lull starts on PostgreSQL
// backends that are already warm (catalog caches, compiled PL/pgSQL, prepared statements), not on
// new ones. pg-pool's default would close each after 10 idle seconds. Real PostgreSQL.
import { setTimeout as sleep } from "node:timers/promises";
import { type Database, openDatabase, pgPoolOf } from "@parley/db";
import { testServerUrl } from "@parley/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const POOL_SIZE = 3;
let db: Database;
beforeAll(async () => {
  db = await openDatabase({ url: testServerUrl(), poolSize: POOL_SIZE });
});
afterAll(() => db?.close());

/** The backend of every pooled connection, all checked out at once (so each is a different one). */
async function backendsOfEveryConnection(): Promise<number[]> {
  const pool = await pgPoolOf(db.em.fork());
  const clients = await Promise.all(Array.from({ length: POOL_SIZE }, () => pool.connect()));
  try {
    const rows = await Promise.all(clients.map((client) => client.query("select pg_backend_pid() as pid")));
    return rows.map((result) => Number(result.rows[0]?.pid)).sort((a, b) => a - b);
  } finally {
    for (const client of clients) client.release();
  }
}

describe("database pool", () => {
  it("keeps every connection it opened through a lull longer than pg-pool's idle timeout", async () => {
    const before = await backendsOfEveryConnection();
    expect(new Set(before).size).toBe(POOL_SIZE);
    await sleep(10_500);
    const pool = await pgPoolOf(db.em.fork());
    expect(pool.totalCount).toBe(POOL_SIZE);
    expect(await backendsOfEveryConnection()).toEqual(before);
  }, 30_000);
});
