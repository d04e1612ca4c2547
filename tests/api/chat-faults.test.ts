// Faults a chat turn must survive on one server without Redis: a turn that outlives the
// reservation TTL, database connections cut mid-answer, the process killed and restarted.
import { fakeText } from "@parley/agent/fake-bedrock";
import { type Database, openDatabase } from "@parley/db";
import { testServerUrl } from "@parley/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { eventsOfType, sendMessage, startChatTestServer, streamTurn, textOf } from "../support/chat.ts";
import { expectLedgerConsistent } from "../support/ledger.ts";
import { freePort, startCluster, startServerProcess } from "../support/processes.ts";
import type { TestServer } from "../support/server.ts";

let stack: Awaited<ReturnType<typeof startChatTestServer>>;
let server: TestServer;
beforeAll(async () => {
  // A short TTL swept every second: a running answer must keep its hold regardless.
  stack = await startChatTestServer({
    RESERVATION_TTL_SECONDS: "10",
    ACCOUNTING_SWEEP_INTERVAL_SECONDS: "1",
    CHAT_MAX_CONCURRENT_TURNS: "10",
  });
  ({ server } = stack);
});
afterAll(() => stack?.close());

async function chatter(on: TestServer, credits = 1_000_000) {
  const { user } = await fundedUser(on, credits);
  const session = await user.client.sessions.create.mutate({});
  return { ...user, session };
}

describe("a turn's reservation", () => {
  it("outlives the reservation TTL while the turn runs: the answer completes and is charged", async () => {
    const { client, session, user } = await chatter(server);
    const stream = await sendMessage(client, {
      sessionId: session.id,
      content: "slow [[fake tokens=70 rate=5]]",
    });
    const events = await stream.finished; // ~14 s, past the 10 s TTL
    const [done] = eventsOfType(events, "done");
    expect(done).toMatchObject({ status: "complete", content: fakeText(70) });
    expect(done?.creditsCharged).toBeGreaterThan(0);
    // Finalized by the turn, never expired by the sweeper under it.
    const [reservation] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ status: string; captured: string }[]>(
        "select status, captured from reservations where id = ?",
        [stream.turnId],
      );
    expect(reservation).toMatchObject({ status: "finalized" });
    expect(Number(reservation?.captured)).toBe(done?.creditsCharged);
    expect(await client.accounting.balance.query()).toMatchObject({ held: 0 });
    await expectLedgerConsistent(server.db, user.id);
  }, 40_000);
});

describe("database connections lost mid-answer", () => {
  it("every turn ends with a final event and is stored and settled exactly once", async () => {
    const { client, user } = await chatter(server);
    const sessions = await Promise.all(Array.from({ length: 6 }, () => client.sessions.create.mutate({})));
    const streams = await Promise.all(
      sessions.map((s) =>
        sendMessage(client, { sessionId: s.id, content: "steady [[fake tokens=60 rate=20]]" }),
      ),
    );
    const dbName = await currentDatabase(server);
    // Cut every connection to the database every 300 ms until every answer has ended.
    let ended = false;
    const all = Promise.all(streams.map((s) => s.finished)).finally(() => {
      ended = true;
    });
    const admin = await openDatabase({ url: testServerUrl(), poolSize: 1 });
    let cuts = 0;
    try {
      while (!ended && cuts < 100) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        await admin.em
          .getConnection()
          .execute(
            "select pg_terminate_backend(pid) from pg_stat_activity where datname = ? and pid <> pg_backend_pid()",
            [dbName],
          );
        cuts += 1;
      }
    } finally {
      await admin.close();
    }
    expect(cuts).toBeGreaterThanOrEqual(6);
    const ends = await all;
    for (const events of ends) {
      expect(events.filter((e) => e.event.type === "done" || e.event.type === "error")).toHaveLength(1);
    }
    // Fresh connections for the checks (the test's own were cut too).
    const check = await openDatabase({ url: await databaseUrl(server), poolSize: 1 });
    try {
      const rows = await check.em.getConnection().execute<{ status: string; usage: string }[]>(
        `select t.status, (select count(*) from usage_records u where u.reservation_id = t.id) as usage
           from chat_turns t where t.user_id = ?`,
        [user.id],
      );
      expect(rows).toHaveLength(6);
      for (const row of rows) {
        expect(row.status).not.toBe("running");
        expect(Number(row.usage)).toBe(1);
      }
      const messages = await check.em
        .getConnection()
        .execute<{ n: string }[]>(
          "select count(*) as n from chat_messages m join chat_sessions s on s.id = m.session_id where s.user_id = ? and m.role = 'assistant'",
          [user.id],
        );
      expect(Number(messages[0]?.n)).toBe(6);
      await expectLedgerConsistent(check, user.id);
    } finally {
      await check.close();
    }
  }, 60_000);
});

describe("every pooled connection busy", () => {
  it("the running turns' heartbeat still lands (its own connection), so no other process takes them for dead", async () => {
    const cluster = await startCluster({ processes: 1, env: { DATABASE_POOL_SIZE: "2" } });
    const blocker = await openDatabase({ url: cluster.databaseUrl, poolSize: 1 });
    try {
      const { client, session } = await chatter(cluster.view(0));
      const { turnId } = await client.sessions.send.mutate({
        sessionId: session.id,
        content: "steady [[fake tokens=200 rate=20]]",
      });
      const watcher = streamTurn(client, turnId);
      await watcher.until((events) => eventsOfType(events, "token").length >= 5);
      const heartbeat = async () => {
        const [row] = await cluster.db.em
          .fork()
          .getConnection()
          .execute<{ at: string }[]>(
            `select o.heartbeat_at::text as at
             from chat_turns t join chat_turn_owners o on o.owner = t.owner where t.id = ?`,
            [turnId],
          );
        return row?.at ?? "";
      };
      // A lock on the chats table holds every request that reads it, each on one of the server's
      // two pooled connections, until it is released.
      const locker = blocker.em.fork();
      await locker.begin();
      await locker.execute("lock table chat_sessions in access exclusive mode");
      const held = Array.from({ length: 3 }, () => client.sessions.list.query({}).catch(() => null));
      await expect.poll(() => waitingOnLocks(cluster.db, cluster.databaseUrl), { timeout: 10_000 }).toBe(2);
      const before = await heartbeat();
      await new Promise((resolve) => setTimeout(resolve, 4500)); // two beats (HEARTBEAT_MS: 2 s)
      const after = await heartbeat();
      expect(await waitingOnLocks(cluster.db, cluster.databaseUrl)).toBe(2); // still all busy
      await locker.commit();
      expect(after > before).toBe(true);
      await Promise.all(held);
      const [done] = eventsOfType(await watcher.finished, "done");
      expect(done).toMatchObject({ status: "complete", content: fakeText(200) });
    } finally {
      await blocker.close();
      await cluster.close();
    }
  }, 60_000);
});

describe("one process killed and restarted (no Redis)", () => {
  it("the restarted process settles the turn from its checkpoint; the reconnected client gets INTERRUPTED", async () => {
    const port = String(await freePort());
    const cluster = await startCluster({ processes: 1, env: { PORT: port } });
    try {
      const { token, session, user } = await chatter(cluster.view(0));
      const first = cluster.servers[0];
      if (!first) throw new Error("no server");
      const client = first.client(token);
      const { turnId } = await client.sessions.send.mutate({
        sessionId: session.id,
        content: "doomed [[fake tokens=2000 rate=40]]",
      });
      const watcher = streamTurn(client, turnId);
      await watcher.until((events) => eventsOfType(events, "token").length >= 100);
      await first.kill();
      const restarted = await startServerProcess({
        DATABASE_URL: cluster.databaseUrl,
        BEDROCK_ENDPOINT: cluster.fake.url,
        PORT: port,
      });
      try {
        // The client's link reconnects to the same address with its last event id.
        const events = await watcher.finished;
        expect(eventsOfType(events, "error")[0]?.code).toBe("INTERRUPTED");
        const answer = (await restarted.client(token).sessions.get.query({ sessionId: session.id }))
          .messages[1];
        expect(answer?.status).toBe("incomplete");
        expect(textOf(events).startsWith(answer?.content ?? "x")).toBe(true);
        expect(await restarted.client(token).accounting.balance.query()).toMatchObject({ held: 0 });
        await expectLedgerConsistent(cluster.db, user.id);
      } finally {
        await restarted.stop();
      }
    } finally {
      await cluster.close();
    }
  }, 90_000);
});

async function databaseUrl(on: TestServer): Promise<string> {
  const [row] = await on.db.em
    .fork()
    .getConnection()
    .execute<{ db: string }[]>("select current_database() as db");
  const url = new URL(testServerUrl());
  url.pathname = `/${row?.db}`;
  return url.toString();
}

async function currentDatabase(on: TestServer): Promise<string> {
  return new URL(await databaseUrl(on)).pathname.slice(1);
}

/** Connections to `url`'s database that are waiting for a lock. */
async function waitingOnLocks(db: Database, url: string): Promise<number> {
  const [row] = await db.em
    .fork()
    .getConnection()
    .execute<{ n: string }[]>(
      "select count(*) as n from pg_stat_activity where datname = ? and wait_event_type = 'Lock'",
      [new URL(url).pathname.slice(1)],
    );
  return Number(row?.n);
}
