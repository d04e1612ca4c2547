// Which processes are alive, as chat turn recovery sees it: one heartbeat row per server process in
// chat_turn_owners. A turn is dead when its owner has not beaten for the stale time and the turn is
// older than that; a running server clears the rows of long-dead processes with nothing running.
// Real PostgreSQL and a real server process.
import { type Database, openDatabase } from "@parley/db";
import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServerProcess } from "../support/processes.ts";

let database: TestDatabase;
let db: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  db = await openDatabase({ url: database.url, poolSize: 2 });
});
afterAll(async () => {
  await db?.close();
  await database?.drop();
});

const sql = <Row>(text: string, values: unknown[] = []) =>
  db.em.fork().getConnection().execute<Row[]>(text, values);

async function ownerDead(owner: string, startedSecondsAgo: number): Promise<boolean> {
  const [row] = await sql<{ dead: boolean }>(
    "select parley_turn_owner_dead(?, now() - make_interval(secs => ?), 30) as dead",
    [owner, startedSecondsAgo],
  );
  return row?.dead ?? false;
}

describe("parley_turn_owner_dead (stale time 30 s)", () => {
  it("a turn of an owner that never beat is dead only once it is older than the stale time", async () => {
    expect(await ownerDead("never-beat", 1)).toBe(false); // its process may not have beaten yet
    expect(await ownerDead("never-beat", 60)).toBe(true);
  });

  it("an owner that beat within the stale time keeps even an old turn alive; a silent one does not", async () => {
    await sql(
      `insert into chat_turn_owners (owner, heartbeat_at)
       values ('beating', now() - interval '5 seconds'), ('silent', now() - interval '40 seconds')`,
    );
    expect(await ownerDead("beating", 600)).toBe(false);
    expect(await ownerDead("silent", 600)).toBe(true);
    expect(await ownerDead("silent", 1)).toBe(false);
  });
});

describe("a running server", () => {
  it("beats its own row and clears the rows of processes silent for minutes with nothing running", async () => {
    await sql(
      `insert into chat_turn_owners (owner, heartbeat_at)
       values ('long-gone', now() - interval '1 hour'), ('just-quiet', now() - interval '40 seconds')`,
    );
    const server = await startServerProcess({ DATABASE_URL: database.url });
    try {
      const owners = async () =>
        (await sql<{ owner: string }>("select owner from chat_turn_owners order by owner")).map(
          (r) => r.owner,
        );
      await expect.poll(owners, { timeout: 15_000 }).not.toContain("long-gone");
      const left = await owners();
      expect(left).toContain("just-quiet"); // silent for less than ten stale times: kept for now
      expect(left.filter((owner) => !["beating", "silent", "just-quiet"].includes(owner))).toHaveLength(1);
    } finally {
      await server.stop();
    }
    const after = (await sql<{ owner: string }>("select owner from chat_turn_owners")).map((r) => r.owner);
    expect(after.sort()).toEqual(["beating", "just-quiet", "silent"]); // its own row went with it
  }, 60_000);
});
