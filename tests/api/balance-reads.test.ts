// Balance reads that arrive together go to PostgreSQL as one statement (balance.ts, a DataLoader
// per database): each reader still gets its own account's committed figures, a due grant still
// expires first, and nothing is cached between reads. Real PostgreSQL, real server.
import { getBalance } from "@parley/accounting";
import { openDatabase, pgPoolOf } from "@parley/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountingEnv, fundedUser } from "../support/accounting.ts";
import { expectLedgerConsistent, expireGrantNow } from "../support/ledger.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: accountingEnv });
});
afterAll(() => server?.close());

/** Users funded with 100, 200, … credits, and their clients. */
async function fundedUsers(count: number) {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const { admin, user } = await fundedUser(server, 100 * (i + 1), 7);
      return { admin, user, userId: user.user.id, credits: 100 * (i + 1) };
    }),
  );
}

describe("balance reads", () => {
  it("reads of many users asked for together take one pooled connection, and each gets its own figures", async () => {
    const users = await fundedUsers(8);
    // A database handle of its own: nothing else borrows from its pool meanwhile.
    const db = await openDatabase({ url: server.db.config.get("clientUrl") as string, poolSize: 4 });
    try {
      const pool = await pgPoolOf(db.em);
      let borrowed = 0;
      pool.on("acquire", () => borrowed++);
      const balances = await Promise.all(users.map((u) => getBalance(db.em.fork(), u.userId)));
      expect(borrowed).toBe(1);
      expect(balances.map((b) => b.balance)).toEqual(users.map((u) => u.credits));
      expect(balances.every((b) => b.held === 0 && b.available === b.balance)).toBe(true);
      // The same user twice in one batch: both get the row.
      const twice = await Promise.all([0, 1].map(() => getBalance(db.em.fork(), users[0]?.userId ?? "")));
      expect(twice.map((b) => b.balance)).toEqual([100, 100]);
      expect(borrowed).toBe(2);
    } finally {
      await db.close();
    }
  });

  it("over HTTP, many users at once each read their own balance, and a later read sees a change", async () => {
    const users = await fundedUsers(6);
    const read = () => Promise.all(users.map((u) => u.user.client.accounting.balance.query()));
    expect((await read()).map((b) => b.balance)).toEqual(users.map((u) => u.credits));
    // Nothing is cached: a movement committed before the next read shows in it.
    const [first] = users;
    await first?.admin.client.admin.credits.allocate.mutate({ userId: first.userId, credits: 5 });
    expect((await read()).map((b) => b.balance)).toEqual(users.map((u, i) => u.credits + (i === 0 ? 5 : 0)));
  });

  it("a user whose grant is due is read through the account's lock, which expires it first, beside others read together", async () => {
    const users = await fundedUsers(3);
    const [, due] = users;
    if (!due) throw new Error("no user");
    const [grant] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ id: string }[]>("select id from credit_grants where user_id = ?", [due.userId]);
    await expireGrantNow(server.db, grant?.id ?? "");
    const balances = await Promise.all(users.map((u) => getBalance(server.db.em.fork(), u.userId)));
    expect(balances.map((b) => b.balance)).toEqual([100, 0, 300]);
    expect(balances[1]?.nextExpiryAt).toBeNull();
    await expectLedgerConsistent(server.db, due.userId);
  });
});
