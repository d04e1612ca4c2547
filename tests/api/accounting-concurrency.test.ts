// Correct under concurrency by construction: every movement of an account locks its row. These
// tests hammer one account from many connections (and from two servers) on real PostgreSQL.
import { createParleyClient } from "@parley/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountingEnv, fundedUser, TEST_MODEL } from "../support/accounting.ts";
import { failureOf } from "../support/errors.ts";
import { expectLedgerConsistent } from "../support/ledger.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: accountingEnv });
});
afterAll(() => server?.close());

/** A client that sends every call as its own HTTP request, so calls really run side by side. */
const unbatched = (url: string, token: string) => createParleyClient({ url, token, batch: false });

function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

describe("concurrent spending from one account", () => {
  it("200 concurrent initializations where credits cover exactly 10: 10 succeed, 190 get PAYMENT_REQUIRED", async () => {
    const { user } = await fundedUser(server, 100);
    const client = unbatched(server.url, user.token);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () =>
        client.accounting.streaming.initialize.mutate({
          modelId: TEST_MODEL,
          estimatedTokens: { input: 10, output: 0 },
        }),
      ),
    );
    const succeeded = results.filter((r) => r.status === "fulfilled");
    expect(succeeded).toHaveLength(10);
    const failures = await Promise.all(
      results.filter((r) => r.status === "rejected").map((r) => failureOf(Promise.reject(r.reason))),
    );
    expect(failures).toHaveLength(190);
    expect(failures.every((f) => f.code === "PAYMENT_REQUIRED")).toBe(true);
    expect(await user.client.accounting.balance.query()).toMatchObject({
      balance: 100,
      held: 100,
      available: 0,
    });
    await expectLedgerConsistent(server.db, user.user.id);
  });

  it("200 concurrent finalizes, aborts and duplicates in random order: each reservation settled once", async () => {
    const { user } = await fundedUser(server, 100_000);
    const client = unbatched(server.url, user.token);
    const reservations = await Promise.all(
      Array.from({ length: 100 }, () =>
        client.accounting.streaming.initialize.mutate({
          modelId: TEST_MODEL,
          estimatedTokens: { input: 100, output: 100 },
        }),
      ),
    );
    const ids = reservations.map((r) => r.sessionId);
    const pick = () => ids[Math.floor(Math.random() * ids.length)] as string;
    type Op = { sessionId: string; kind: "finalize" | "abort" };
    const ops: Op[] = shuffle([
      ...ids.map((sessionId) => ({ sessionId, kind: "finalize" as const })),
      ...Array.from({ length: 50 }, () => ({ sessionId: pick(), kind: "finalize" as const })),
      ...Array.from({ length: 50 }, () => ({ sessionId: pick(), kind: "abort" as const })),
    ]);
    const outcomes = await Promise.all(
      ops.map(async (op) => {
        const call =
          op.kind === "finalize"
            ? client.accounting.streaming.finalize.mutate({
                sessionId: op.sessionId,
                actualTokens: { input: 50, output: 25 },
              })
            : client.accounting.streaming.abort.mutate({ sessionId: op.sessionId, tokensGenerated: 10 });
        try {
          return { op, result: await call, error: null };
        } catch (error) {
          return { op, result: null, error: await failureOf(Promise.reject(error)) };
        }
      }),
    );

    const [settledRows] = await Promise.all([
      server.db.em
        .fork()
        .getConnection()
        .execute<{ id: string; status: string; captured: string }[]>(
          "select id, status, captured from reservations where user_id = ?",
          [user.user.id],
        ),
    ]);
    const status = new Map(settledRows.map((r) => [r.id, r.status]));
    let charged = 0;
    for (const id of ids) {
      const mine = outcomes.filter((o) => o.op.sessionId === id);
      const final = status.get(id);
      expect(["finalized", "aborted"]).toContain(final);
      const winningKind = final === "finalized" ? "finalize" : "abort";
      // Every call of the winning kind got the same answer; every call of the other kind a CONFLICT.
      const wins = mine.filter((o) => o.op.kind === winningKind);
      expect(wins.every((o) => o.error === null)).toBe(true);
      expect(new Set(wins.map((o) => JSON.stringify(o.result))).size).toBe(1);
      expect(mine.filter((o) => o.op.kind !== winningKind).every((o) => o.error?.code === "CONFLICT")).toBe(
        true,
      );
      charged += wins[0]?.result?.creditsCharged ?? 0;
    }
    const entries = await server.db.em
      .fork()
      .getConnection()
      .execute<{ reservation_id: string; n: string }[]>(
        "select reservation_id, count(*) as n from ledger_entries where user_id = ? and type = 'capture' group by reservation_id",
        [user.user.id],
      );
    expect(entries).toHaveLength(100);
    expect(entries.every((e) => Number(e.n) === 1)).toBe(true);
    expect(await user.client.accounting.balance.query()).toMatchObject({
      balance: 100_000 - charged,
      held: 0,
    });
    await expectLedgerConsistent(server.db, user.user.id);
  });

  it("two servers with separate connection pools spending from one account keep the same guarantees", async () => {
    const second = await startTestServer({
      env: { ...accountingEnv, DATABASE_URL: server.db.config.get("clientUrl") ?? "" },
    });
    try {
      const { user } = await fundedUser(server, 300);
      const clients = [unbatched(server.url, user.token), unbatched(second.url, user.token)];
      const results = await Promise.allSettled(
        Array.from({ length: 100 }, (_, i) =>
          (clients[i % 2] ?? clients[0])?.accounting.streaming.initialize.mutate({
            modelId: TEST_MODEL,
            estimatedTokens: { input: 10, output: 0 },
          }),
        ),
      );
      const opened = results.flatMap((r) => (r.status === "fulfilled" && r.value ? [r.value.sessionId] : []));
      expect(opened).toHaveLength(30);

      await Promise.allSettled(
        shuffle([...opened, ...opened]).map((sessionId, i) =>
          (clients[i % 2] ?? clients[0])?.accounting.streaming.finalize.mutate({
            sessionId,
            actualTokens: { input: 7, output: 0 },
          }),
        ),
      );
      expect(await user.client.accounting.balance.query()).toMatchObject({ balance: 300 - 30 * 7, held: 0 });
      await expectLedgerConsistent(server.db, user.user.id);
    } finally {
      await second.close();
    }
  });
});
