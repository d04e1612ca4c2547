// The ledger's calls as named prepared statements (queryPrepared): outside a transaction they run
// on a pooled connection of their own; inside `em.transactional` on the transaction's connection,
// so a failure after them rolls them back. Real PostgreSQL, real server.
import {
  abortReservation,
  finalizeReservation,
  getBalance,
  initializeReservation,
  recordUsage,
} from "@parley/accounting";
import { DomainError } from "@parley/core";
import { type Database, NothingCommitted, openDatabase, pgPoolOf, queryPreparedTogether } from "@parley/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountingEnv, costOf, fundedUser, TEST_MODEL } from "../support/accounting.ts";
import { failureOf } from "../support/errors.ts";
import { expectLedgerConsistent } from "../support/ledger.ts";
import { startPgRoundTripCounter } from "../support/pg-counter.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: accountingEnv });
});
afterAll(() => server?.close());

/** Everything a movement of `userId`'s credits could have touched. */
async function snapshot(userId: string) {
  const connection = server.db.em.fork().getConnection();
  const rows = (sql: string) => connection.execute(sql, [userId]);
  return {
    account: await rows("select balance, held, next_expiry_at from credit_accounts where user_id = ?"),
    ledger: await rows("select id, type, amount from ledger_entries where user_id = ? order by id"),
    grants: await rows("select id, remaining from credit_grants where user_id = ? order by id"),
    audit: await rows("select id from audit_events where target_id = ? order by id"),
  };
}

describe("ledger calls inside a transaction", () => {
  it("an audited admin move whose audit record cannot be written rolls the credits back too", async () => {
    const { admin, user } = await fundedUser(server, 300);
    const userId = user.user.id;
    const before = await snapshot(userId);
    const connection = server.db.em.fork().getConnection();
    // The audit record is inserted after the ledger function has moved the credits, in the same
    // transaction: failing it fails the movement at its very end.
    await connection.execute(`create function fail_audit_insert() returns trigger language plpgsql as $$
      begin raise exception 'injected audit failure'; end $$`);
    await connection.execute(
      "create trigger fail_audit_insert before insert on audit_events for each row execute function fail_audit_insert()",
    );
    try {
      for (const move of [
        () => admin.client.admin.credits.allocate.mutate({ userId, credits: 50 }),
        () => admin.client.admin.credits.remove.mutate({ userId, credits: 20 }),
        () => admin.client.admin.credits.set.mutate({ userId, credits: 1000 }),
      ]) {
        const error = await failureOf(move());
        expect(error).toMatchObject({ code: "INTERNAL_SERVER_ERROR", httpStatus: 500 });
        expect(error.message).not.toMatch(/injected/);
        expect(await snapshot(userId)).toEqual(before);
      }
    } finally {
      await connection.execute("drop trigger fail_audit_insert on audit_events");
      await connection.execute("drop function fail_audit_insert()");
    }
    await admin.client.admin.credits.allocate.mutate({ userId, credits: 50 });
    expect(await user.client.accounting.balance.query()).toMatchObject({ balance: 350 });
    await expectLedgerConsistent(server.db, userId);
  });

  it("a ledger call in em.transactional is undone when the transaction fails after it", async () => {
    const { user } = await fundedUser(server, 500);
    const userId = user.user.id;
    const before = await snapshot(userId);
    const em = server.db.em.fork();
    await expect(
      em.transactional(async (tx) => {
        await recordUsage(tx, { userId, service: "test", operation: "rollback", credits: 40 });
        // Seen inside the transaction…
        expect((await getBalance(tx, userId)).balance).toBe(460);
        throw new Error("after the charge");
      }),
    ).rejects.toThrow("after the charge");
    // …and gone with it.
    expect(await snapshot(userId)).toEqual(before);
    expect((await getBalance(server.db.em.fork(), userId)).balance).toBe(500);
    await expectLedgerConsistent(server.db, userId);
  });
});

describe("ledger calls as prepared statements", () => {
  it("are prepared once per connection and keep refusals as typed errors", async () => {
    const { user } = await fundedUser(server, 100);
    const userId = user.user.id;
    // One connection: the statements prepared by the calls are visible to the query after them.
    const db = await openDatabase({ url: server.db.config.get("clientUrl") as string, poolSize: 1 });
    try {
      const em = db.em.fork();
      for (let i = 0; i < 3; i++) {
        const { sessionId } = await initializeReservation(em, {
          userId,
          modelId: TEST_MODEL,
          estimatedTokens: { input: 10, output: 0 },
          ttlSeconds: 60,
        });
        await finalizeReservation(em, { userId, sessionId, actualTokens: { input: 10, output: 0 } });
      }
      const prepared = await em.execute<{ name: string }[]>(
        "select name from pg_prepared_statements where name like 'parley_%' order by name",
      );
      // reserve returns the whole reservation; settle only what a settlement reads (its own name).
      expect(prepared.map((p) => p.name)).toEqual([
        "parley_reserve/6",
        expect.stringMatching(/^parley_settle\/7\/[0-9a-f]{8}$/),
      ]);

      const refused = await initializeReservation(em, {
        userId,
        modelId: TEST_MODEL,
        estimatedTokens: { input: 1000, output: 0 },
        ttlSeconds: 60,
      }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DomainError);
      expect(refused).toMatchObject({ code: "PAYMENT_REQUIRED", detail: { available: 70, required: 1000 } });
      const unknown = await finalizeReservation(em, {
        userId,
        sessionId: crypto.randomUUID(),
        actualTokens: { input: 1, output: 0 },
      }).catch((error: unknown) => error);
      expect(unknown).toMatchObject({ code: "NOT_FOUND" });
    } finally {
      await db.close();
    }
    await expectLedgerConsistent(server.db, userId);
  });

  it("keep the invariants when 150 calls on one account race: holds, settles, duplicates", async () => {
    const { user } = await fundedUser(server, 2_000);
    const userId = user.user.id;
    const db = server.db;
    const start = () =>
      initializeReservation(db.em.fork(), {
        userId,
        modelId: TEST_MODEL,
        estimatedTokens: { input: 30, output: 0 },
        ttlSeconds: 600,
      });
    // 100 holds of 30 against 2,000 credits: 66 fit, the rest are refused.
    const held = await Promise.allSettled(Array.from({ length: 100 }, start));
    const sessions = held.flatMap((r) => (r.status === "fulfilled" ? [r.value.sessionId] : []));
    expect(sessions).toHaveLength(66);
    const refusals = held.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(refusals.every((e) => e instanceof DomainError && e.code === "PAYMENT_REQUIRED")).toBe(true);

    // Each settled twice the same way (once charged) or aborted, side by side with new holds.
    const settles = sessions.flatMap((sessionId, i) =>
      i % 3 === 0
        ? [abortReservation(db.em.fork(), { userId, sessionId, tokensGenerated: 0 })]
        : [0, 1].map(() =>
            finalizeReservation(db.em.fork(), { userId, sessionId, actualTokens: { input: 20, output: 0 } }),
          ),
    );
    const [settled, newHolds] = await Promise.all([
      Promise.all(settles),
      Promise.allSettled(Array.from({ length: 10 }, start)),
    ]);
    const aborted = sessions.filter((_, i) => i % 3 === 0).length;
    const finalized = sessions.length - aborted;
    // Each reservation charged once, however often it was settled.
    expect(new Set(settled.map((s) => s.usageRecordId)).size).toBe(sessions.length);
    const spent = aborted * costOf(30, 0) + finalized * costOf(20, 0);
    const holding = newHolds.filter((r) => r.status === "fulfilled").length;
    expect(await getBalance(db.em.fork(), userId)).toMatchObject({
      balance: 2_000 - spent,
      held: holding * 30,
    });
    await expectLedgerConsistent(server.db, userId);
  });
});

describe("a busy account", () => {
  /** How many ledger calls wait for a lock in PostgreSQL now, as `db` sees it. */
  async function waitingNow(db: Database): Promise<number> {
    const [row] = await db.em.getConnection().execute<{ waiting: string }[]>(
      `select count(*) as waiting from pg_locks l join pg_stat_activity a using (pid)
        where not l.granted and a.datname = current_database() and a.query like '%parley_%'`,
    );
    return Number(row?.waiting);
  }

  /**
   * Runs `work` while a connection of its own polls PostgreSQL for ledger calls waiting for a lock;
   * returns the most seen at once.
   */
  async function mostWaiting(work: () => Promise<unknown>): Promise<number> {
    const watcher = await openDatabase({ url: server.db.config.get("clientUrl") as string, poolSize: 1 });
    let done = false;
    let most = 0;
    const poll = (async () => {
      while (!done) most = Math.max(most, await waitingNow(watcher));
    })();
    try {
      await work();
    } finally {
      done = true;
      await poll;
      await watcher.close();
    }
    return most;
  }

  /** The transactions that wrote `userId`'s ledger entries (entries are never updated: xmin is the writer). */
  async function transactionsOf(userId: string): Promise<{ entries: number; transactions: number }> {
    const [row] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ entries: string; transactions: string }[]>(
        "select count(*) as entries, count(distinct xmin::text) as transactions from ledger_entries where user_id = ?",
        [userId],
      );
    return { entries: Number(row?.entries), transactions: Number(row?.transactions) };
  }

  const hold = (userId: string, input: number) =>
    initializeReservation(server.db.em.fork(), {
      userId,
      modelId: TEST_MODEL,
      estimatedTokens: { input, output: 0 },
      ttlSeconds: 60,
    });

  it("sends its movements to PostgreSQL one transaction at a time from a process: none waits there for the lock", async () => {
    const { user } = await fundedUser(server, 1_000_000);
    const userId = user.user.id;
    const db = server.db;
    // The watcher's query sees a lock wait: a hold sent around the queue while another transaction
    // has the account's row waits, until that transaction ends.
    // The test's database handle has two connections: one holds the lock, the other waits; the
    // watcher has its own.
    const locker = await (await pgPoolOf(db.em)).connect();
    const watcher = await openDatabase({ url: db.config.get("clientUrl") as string, poolSize: 1 });
    let waited: Promise<unknown>;
    try {
      await locker.query("begin");
      await locker.query("select 1 from credit_accounts where user_id = $1 for update", [userId]);
      // Around the queue, on the handle's other connection: it waits until the commit below.
      waited = db.em
        .fork()
        .getConnection()
        .execute("select id from parley_reserve(?, gen_random_uuid(), ?, 10, 0, 60)", [userId, TEST_MODEL]);
      await expect.poll(() => waitingNow(watcher), { timeout: 10_000 }).toBe(1);
    } finally {
      await locker.query("commit");
      locker.release();
      await watcher.close();
    }
    await waited;

    // Sixteen callers holding and settling at once through the accounting functions: they queue here.
    const pair = async () => {
      const { sessionId } = await hold(userId, 10);
      await finalizeReservation(db.em.fork(), { userId, sessionId, actualTokens: { input: 8, output: 0 } });
    };
    const pairs = () => Promise.all(Array.from({ length: 16 }, () => pair().then(pair).then(pair)));
    const before = await transactionsOf(userId);
    const { held } = await getBalance(db.em.fork(), userId); // the plain SQL holds
    expect(await mostWaiting(pairs)).toBe(0);
    // What gathered while one ran went together: fewer transactions than movements.
    const after = await transactionsOf(userId);
    expect(after.entries - before.entries).toBe(16 * 3 * 3); // reserve; capture and release
    expect(after.transactions - before.transactions).toBeLessThan(16 * 3 * 2);
    expect(await getBalance(db.em.fork(), userId)).toMatchObject({ balance: 1_000_000 - 48 * 8, held });
    await expectLedgerConsistent(server.db, userId);
  });

  it("a refusal among movements that went together costs the others nothing: each gets its own answer", async () => {
    const { user } = await fundedUser(server, 100);
    const userId = user.user.id;
    // One hold runs first; the fifteen that gathered meanwhile go together, and the tenth of them
    // no longer fits: that transaction is rolled back and each runs alone.
    const before = await transactionsOf(userId);
    const results = await Promise.allSettled(Array.from({ length: 16 }, () => hold(userId, 10)));
    const held = results.filter((r) => r.status === "fulfilled");
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(held).toHaveLength(10);
    expect(refused).toHaveLength(6);
    for (const error of refused)
      expect(error).toMatchObject({ code: "PAYMENT_REQUIRED", detail: { required: 10 } });
    expect(await getBalance(server.db.em.fork(), userId)).toMatchObject({
      balance: 100,
      held: 100,
      available: 0,
    });
    // Nothing of the rolled-back transaction stayed: ten holds, each written by its own.
    const after = await transactionsOf(userId);
    expect(after.entries - before.entries).toBe(10);
    expect(after.transactions - before.transactions).toBe(10);
    await expectLedgerConsistent(server.db, userId);
  });

  it("movements sent together wait for PostgreSQL three times, however many they are: begin, the calls, commit", async () => {
    const { user } = await fundedUser(server, 100);
    const userId = user.user.id;
    const counter = await startPgRoundTripCounter(server.db.config.get("clientUrl") as string);
    const db = await openDatabase({ url: counter.url, poolSize: 1 });
    try {
      await db.em.getConnection().execute("select 1"); // the pool's connection, open and idle
      // The first call sleeps, so every later one is on the wire before any answer comes back.
      const sleep = { statement: { name: "test_sleep", text: "select pg_sleep($1)" }, values: [0.2] };
      const reserve = {
        statement: {
          name: "test_reserve",
          text: "select id from parley_reserve($1, gen_random_uuid(), $2, 10, 0, 60)",
        },
        values: [userId, TEST_MODEL],
      };
      const [roundTrips, waits] = [counter.count(), counter.waits()];
      const results = await queryPreparedTogether(db.em.fork(), [sleep, ...Array(8).fill(reserve)]);
      expect(results).toHaveLength(9);
      expect(counter.count() - roundTrips).toBe(11); // begin, the nine calls, commit
      expect(counter.waits() - waits).toBe(3);
      expect(await getBalance(server.db.em.fork(), userId)).toMatchObject({ balance: 100, held: 80 });
      await expectLedgerConsistent(server.db, userId);
    } finally {
      await db.close();
      await counter.close();
    }
  });

  it("movements sent together whose connection is lost before the commit leave nothing written", async () => {
    const { user } = await fundedUser(server, 100);
    const userId = user.user.id;
    const before = await snapshot(userId);
    const reserve = {
      statement: {
        name: "test_reserve",
        text: "select id from parley_reserve($1, gen_random_uuid(), $2, 10, 0, 60)",
      },
      values: [userId, TEST_MODEL],
    };
    const dropConnection = {
      statement: {
        name: "test_drop",
        text: "select pg_terminate_backend(pg_backend_pid()) where $1::int = 1",
      },
      values: [1],
    };
    const failure = await queryPreparedTogether(server.db.em.fork(), [
      reserve,
      reserve,
      dropConnection,
    ]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NothingCommitted);
    expect(await snapshot(userId)).toEqual(before);
    // The pool replaced the lost connection.
    expect(await hold(userId, 10)).toMatchObject({ held: 10 });
  });
});
