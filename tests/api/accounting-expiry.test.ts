import { releaseExpiredReservations, sweepOnce } from "@parley/accounting";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountingEnv, fundedUser, TEST_MODEL } from "../support/accounting.ts";
import { failureOf } from "../support/errors.ts";
import { expectLedgerConsistent, expireGrantNow } from "../support/ledger.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { ...accountingEnv, RESERVATION_TTL_SECONDS: "10" } });
});
afterAll(() => server?.close());

const grantsOf = (adminClient: ReturnType<TestServer["client"]>, userId: string) =>
  adminClient.admin.credits.grantsOf.query({ userId });

describe("grants", () => {
  it("spending consumes the grant that expires soonest first, grants without expiry last", async () => {
    const { admin, user } = await fundedUser(server, 100); // no expiry
    const userId = user.user.id;
    await admin.client.admin.credits.allocate.mutate({ userId, credits: 50, expiryDays: 30 });
    expect((await user.client.accounting.balance.query()).nextExpiryAt).toBeInstanceOf(Date);
    await admin.client.admin.credits.allocate.mutate({ userId, credits: 20, expiryDays: 2 });
    await user.client.accounting.usage.record.mutate({ service: "s", operation: "o", credits: 60 });

    const grants = await grantsOf(admin.client, userId);
    const byAmount = Object.fromEntries(grants.map((g) => [g.amount, g.remaining]));
    expect(byAmount).toEqual({ 20: 0, 50: 10, 100: 100 });
    await expectLedgerConsistent(server.db, userId);
  });

  it("a settlement consumes grants in the same order: from the first alone when it covers the cost, else across them", async () => {
    const { admin, user } = await fundedUser(server, 100); // no expiry
    const userId = user.user.id;
    await admin.client.admin.credits.allocate.mutate({ userId, credits: 50, expiryDays: 30 });
    await admin.client.admin.credits.allocate.mutate({ userId, credits: 20, expiryDays: 2 });
    const settle = async (input: number) => {
      const { sessionId } = await user.client.accounting.streaming.initialize.mutate({
        modelId: TEST_MODEL,
        estimatedTokens: { input, output: 0 },
      });
      return user.client.accounting.streaming.finalize.mutate({
        sessionId,
        actualTokens: { input, output: 0 },
      });
    };
    const remaining = async () =>
      Object.fromEntries((await grantsOf(admin.client, userId)).map((g) => [g.amount, g.remaining]));

    expect(await settle(15)).toMatchObject({ creditsCharged: 15, balanceAfter: 155 });
    expect(await remaining()).toEqual({ 20: 5, 50: 50, 100: 100 });
    expect(await settle(40)).toMatchObject({ creditsCharged: 40, balanceAfter: 115 });
    expect(await remaining()).toEqual({ 20: 0, 50: 15, 100: 100 });
    expect(await settle(65)).toMatchObject({ creditsCharged: 65, balanceAfter: 50 });
    expect(await remaining()).toEqual({ 20: 0, 50: 0, 100: 50 });
    await expectLedgerConsistent(server.db, userId);
  });

  it("an expired grant can no longer be spent: its remainder leaves through an expire entry", async () => {
    const { admin, user } = await fundedUser(server, 100);
    const userId = user.user.id;
    await admin.client.admin.credits.allocate.mutate({ userId, credits: 40, expiryDays: 1 });
    const expiring = (await grantsOf(admin.client, userId)).find((g) => g.amount === 40);
    await expireGrantNow(server.db, expiring?.id ?? "");

    expect(await user.client.accounting.balance.query()).toMatchObject({ balance: 100, available: 100 });
    const [entry] = (await user.client.accounting.history.query({ type: "expire" })).items;
    expect(entry).toMatchObject({ amount: -40, balanceAfter: 100, grantId: expiring?.id, actor: null });
    expect(
      await failureOf(
        user.client.accounting.usage.record.mutate({ service: "s", operation: "o", credits: 101 }),
      ),
    ).toMatchObject({ code: "PAYMENT_REQUIRED", detail: { available: 100 } });
    await expectLedgerConsistent(server.db, userId);
  });

  it("the sweeper expires grants of accounts nobody touches", async () => {
    const { admin, user } = await fundedUser(server, 10, 3);
    const [grant] = await grantsOf(admin.client, user.user.id);
    await expireGrantNow(server.db, grant?.id ?? "");
    await sweepOnce(server.db.em);
    const [account] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ balance: string }[]>("select balance from credit_accounts where user_id = ?", [
        user.user.id,
      ]);
    expect(Number(account?.balance)).toBe(0);
    await expectLedgerConsistent(server.db, user.user.id);
  });

  it("a grant expiring during an open reservation: the reservation still settles, never below zero", async () => {
    const { admin, user } = await fundedUser(server, 0);
    const userId = user.user.id;
    await admin.client.admin.credits.allocate.mutate({ userId, credits: 100, expiryDays: 1 });
    await admin.client.admin.credits.allocate.mutate({ userId, credits: 30 });
    const { sessionId } = await user.client.accounting.streaming.initialize.mutate({
      modelId: TEST_MODEL,
      estimatedTokens: { input: 80, output: 0 },
    });
    const expiring = (await grantsOf(admin.client, userId)).find((g) => g.amount === 100);
    await expireGrantNow(server.db, expiring?.id ?? "");

    // Only the 30 non-expiring credits remain while 80 are held: nothing is available.
    expect(await user.client.accounting.balance.query()).toMatchObject({
      balance: 30,
      held: 80,
      available: 0,
    });
    const result = await user.client.accounting.streaming.finalize.mutate({
      sessionId,
      actualTokens: { input: 50, output: 0 },
    });
    expect(result).toMatchObject({ cost: 50, creditsCharged: 30, shortfall: 20, balanceAfter: 0 });
    expect(await user.client.accounting.balance.query()).toMatchObject({ balance: 0, held: 0, available: 0 });
    await expectLedgerConsistent(server.db, userId);
  });
});

describe("reservation time-to-live", () => {
  it("the sweeper releases reservations left open past their TTL, charging nothing; settling them later is a CONFLICT", async () => {
    const { user } = await fundedUser(server, 100);
    const { sessionId } = await user.client.accounting.streaming.initialize.mutate({
      modelId: TEST_MODEL,
      estimatedTokens: { input: 60, output: 0 },
    });
    expect(await releaseExpiredReservations(server.db.em)).toBe(0); // not yet due
    await server.db.em
      .fork()
      .getConnection()
      .execute("update reservations set expires_at = now() - interval '1 second' where id = ?", [sessionId]);

    // Two sweepers at once (as with two server processes): the reservation is released once.
    const [a, b] = await Promise.all([
      releaseExpiredReservations(server.db.em),
      releaseExpiredReservations(server.db.em),
    ]);
    expect(a + b).toBe(1);
    expect(await user.client.accounting.balance.query()).toMatchObject({ balance: 100, held: 0 });
    expect(
      await failureOf(
        user.client.accounting.streaming.finalize.mutate({
          sessionId,
          actualTokens: { input: 60, output: 0 },
        }),
      ),
    ).toMatchObject({ code: "CONFLICT" });
    const [release] = (await user.client.accounting.history.query({ type: "release" })).items;
    expect(release).toMatchObject({ heldDelta: -60, reservationId: sessionId, actor: null });
    await expectLedgerConsistent(server.db, user.user.id);
  });
});

describe("faults", () => {
  it("a database error in the middle of a settlement rolls the whole movement back", async () => {
    const { user } = await fundedUser(server, 500);
    const userId = user.user.id;
    const { sessionId } = await user.client.accounting.streaming.initialize.mutate({
      modelId: TEST_MODEL,
      estimatedTokens: { input: 100, output: 0 },
    });
    const connection = server.db.em.fork().getConnection();
    const snapshot = async () => ({
      account: await connection.execute("select balance, held from credit_accounts where user_id = ?", [
        userId,
      ]),
      ledger: await connection.execute("select count(*) from ledger_entries where user_id = ?", [userId]),
      grants: await connection.execute(
        "select id, remaining from credit_grants where user_id = ? order by id",
        [userId],
      ),
      reservation: await connection.execute("select status from reservations where id = ?", [sessionId]),
    });
    const before = await snapshot();

    // The usage record is written after the grants, the ledger entries and the totals: failing it
    // fails the movement at its very end.
    await connection.execute(`create function fail_usage_insert() returns trigger language plpgsql as $$
      begin raise exception 'injected failure'; end $$`);
    await connection.execute(
      "create trigger fail_usage_insert before insert on usage_records for each row execute function fail_usage_insert()",
    );
    try {
      const error = await failureOf(
        user.client.accounting.streaming.finalize.mutate({
          sessionId,
          actualTokens: { input: 80, output: 0 },
        }),
      );
      expect(error).toMatchObject({ code: "INTERNAL_SERVER_ERROR", httpStatus: 500 });
      expect(error.message).not.toMatch(/injected/); // internals stay on the server
      expect(await snapshot()).toEqual(before);
    } finally {
      await connection.execute("drop trigger fail_usage_insert on usage_records");
      await connection.execute("drop function fail_usage_insert()");
    }

    const result = await user.client.accounting.streaming.finalize.mutate({
      sessionId,
      actualTokens: { input: 80, output: 0 },
    });
    expect(result).toMatchObject({ creditsCharged: 80, balanceAfter: 420 });
    await expectLedgerConsistent(server.db, userId);
  });

  it("the ledger refuses updates and deletes", async () => {
    const { user } = await fundedUser(server, 5);
    const connection = server.db.em.fork().getConnection();
    await expect(
      connection.execute("update ledger_entries set amount = 1000 where user_id = ?", [user.user.id]),
    ).rejects.toThrow(/append-only/);
    await expect(
      connection.execute("delete from ledger_entries where user_id = ?", [user.user.id]),
    ).rejects.toThrow(/append-only/);
  });
});
