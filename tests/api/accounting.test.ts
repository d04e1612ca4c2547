import { MAX_PRICE_PER_1K } from "@parley/validators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountingEnv, costOf, fundedUser, TEST_MODEL } from "../support/accounting.ts";
import { failureOf } from "../support/errors.ts";
import { expectLedgerConsistent } from "../support/ledger.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: accountingEnv });
});
afterAll(() => server?.close());

describe("balance, prices and direct usage", () => {
  it("a new user has nothing; an allocation shows in balance and history with its actor and notes", async () => {
    const { admin, user } = await fundedUser(server, 0);
    expect(await user.client.accounting.balance.query()).toMatchObject({ balance: 0, held: 0, available: 0 });
    await admin.client.admin.credits.allocate.mutate({
      userId: user.user.id,
      credits: 500,
      notes: "welcome",
    });
    expect(await user.client.accounting.balance.query()).toMatchObject({
      balance: 500,
      held: 0,
      available: 500,
    });

    const history = await user.client.accounting.history.query({});
    expect(history.items).toHaveLength(1);
    expect(history.items[0]).toMatchObject({
      type: "allocate",
      amount: 500,
      balanceAfter: 500,
      notes: "welcome",
      actor: { id: admin.user.id },
    });
    await expectLedgerConsistent(server.db, user.user.id);
  });

  it("check, calculate and models", async () => {
    const { user } = await fundedUser(server, 100);
    expect(await user.client.accounting.check.query({ requiredCredits: 100 })).toEqual({
      sufficient: true,
      available: 100,
    });
    expect(await user.client.accounting.check.query({ requiredCredits: 101 })).toEqual({
      sufficient: false,
      available: 100,
    });
    expect(
      await user.client.accounting.calculate.query({ modelId: TEST_MODEL, inputTokens: 10, outputTokens: 5 }),
    ).toEqual({
      credits: 20,
    });
    // Rounded up to a whole credit: 1 token at 80 credits / 1,000 is 0.08 → 1.
    expect(
      await user.client.accounting.calculate.query({
        modelId: "anthropic.claude-3-5-haiku-20241022-v1:0",
        inputTokens: 1,
        outputTokens: 0,
      }),
    ).toEqual({ credits: 1 });
    const models = await user.client.accounting.models.query();
    expect(models).toContainEqual({
      modelId: TEST_MODEL,
      displayName: "Test Model",
      inputPer1k: 1000,
      outputPer1k: 2000,
      cacheReadPer1m: null,
      cacheWritePer1m: null,
    });
  });

  it("unknown model → BAD_REQUEST listing the available ones", async () => {
    const { user } = await fundedUser(server, 100);
    const error = await failureOf(
      user.client.accounting.calculate.query({ modelId: "nope", inputTokens: 1, outputTokens: 1 }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain(TEST_MODEL);
  });

  it("usage.record charges available credits, or refuses with PAYMENT_REQUIRED and moves nothing", async () => {
    const { user } = await fundedUser(server, 100);
    const recorded = await user.client.accounting.usage.record.mutate({
      service: "search",
      operation: "query",
      credits: 30,
      metadata: { query: "weather" },
    });
    expect(recorded).toMatchObject({ creditsCharged: 30, balanceAfter: 70 });
    const refused = await failureOf(
      user.client.accounting.usage.record.mutate({ service: "search", operation: "query", credits: 71 }),
    );
    expect(refused).toMatchObject({ code: "PAYMENT_REQUIRED", detail: { available: 70, required: 71 } });
    expect(await user.client.accounting.balance.query()).toMatchObject({ balance: 70 });

    const [row] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ ledger_entry_id: string; metadata: { query: string } }[]>(
        "select ledger_entry_id, metadata from usage_records where id = ?",
        [recorded.usageRecordId],
      );
    expect(row?.metadata).toEqual({ query: "weather" });
    const history = await user.client.accounting.history.query({ type: "capture" });
    expect(history.items[0]).toMatchObject({
      id: Number(row?.ledger_entry_id),
      amount: -30,
      usageRecordId: recorded.usageRecordId,
    });
    await expectLedgerConsistent(server.db, user.user.id);
  });

  it("usage.stats sums by model and by day", async () => {
    const { user } = await fundedUser(server, 1000);
    await user.client.accounting.usage.record.mutate({
      service: "s",
      operation: "o",
      credits: 10,
      modelId: TEST_MODEL,
    });
    await user.client.accounting.usage.record.mutate({
      service: "s",
      operation: "o",
      credits: 5,
      modelId: TEST_MODEL,
    });
    await user.client.accounting.usage.record.mutate({ service: "s", operation: "o", credits: 7 });
    const stats = await user.client.accounting.usage.stats.query({});
    expect(stats.totals).toMatchObject({ credits: 22, records: 3 });
    expect(stats.byModel).toContainEqual(
      expect.objectContaining({ modelId: TEST_MODEL, credits: 15, records: 2 }),
    );
    expect(stats.byDay).toEqual([
      expect.objectContaining({ day: new Date().toISOString().slice(0, 10), credits: 22 }),
    ]);
    expect(
      await failureOf(user.client.accounting.usage.stats.query({ from: new Date(), to: new Date(0) })),
    ).toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});

describe("reservations (streaming sessions)", () => {
  it("initialize holds the estimate; finalize captures the real cost and releases the rest", async () => {
    const { user } = await fundedUser(server, 1000);
    const reservation = await user.client.accounting.streaming.initialize.mutate({
      modelId: TEST_MODEL,
      estimatedTokens: { input: 100, output: 200 },
    });
    expect(reservation).toMatchObject({ status: "open", held: costOf(100, 200) });
    // Timestamps from the ledger functions' raw rows arrive as Dates, like everything else.
    expect(reservation.createdAt).toBeInstanceOf(Date);
    expect(reservation.expiresAt).toBeInstanceOf(Date);
    expect(await user.client.accounting.balance.query()).toMatchObject({
      balance: 1000,
      held: 500,
      available: 500,
    });
    expect(await user.client.accounting.streaming.active.query()).toEqual([
      expect.objectContaining({ sessionId: reservation.sessionId, held: 500 }),
    ]);

    const result = await user.client.accounting.streaming.finalize.mutate({
      sessionId: reservation.sessionId,
      actualTokens: { input: 90, output: 50 },
    });
    expect(result).toMatchObject({
      status: "finalized",
      cost: 190,
      creditsCharged: 190,
      released: 310,
      shortfall: 0,
      balanceAfter: 810,
    });
    expect(await user.client.accounting.balance.query()).toMatchObject({
      balance: 810,
      held: 0,
      available: 810,
    });
    expect(await user.client.accounting.streaming.active.query()).toEqual([]);

    const types = (await user.client.accounting.history.query({})).items.map((e) => e.type);
    expect(types).toEqual(["release", "capture", "reserve", "allocate"]);
    await expectLedgerConsistent(server.db, user.user.id);
  });

  it("abort captures the prompt and the tokens generated so far, and releases the rest", async () => {
    const { user } = await fundedUser(server, 1000);
    const { sessionId } = await user.client.accounting.streaming.initialize.mutate({
      modelId: TEST_MODEL,
      estimatedTokens: { input: 100, output: 200 },
    });
    const result = await user.client.accounting.streaming.abort.mutate({ sessionId, tokensGenerated: 30 });
    expect(result).toMatchObject({
      status: "aborted",
      cost: costOf(100, 30),
      creditsCharged: 160,
      released: 340,
    });
    expect(await user.client.accounting.balance.query()).toMatchObject({ balance: 840, held: 0 });
    await expectLedgerConsistent(server.db, user.user.id);
  });

  it("settles exactly once: a repeated finalize returns the first result; finalize after abort (and the reverse) is a CONFLICT", async () => {
    const { user } = await fundedUser(server, 1000);
    const first = await user.client.accounting.streaming.initialize.mutate({
      modelId: TEST_MODEL,
      estimatedTokens: { input: 10, output: 10 },
    });
    const finalized = await user.client.accounting.streaming.finalize.mutate({
      sessionId: first.sessionId,
      actualTokens: { input: 10, output: 5 },
    });
    const again = await user.client.accounting.streaming.finalize.mutate({
      sessionId: first.sessionId,
      actualTokens: { input: 99, output: 99 },
    });
    expect(again).toEqual(finalized);
    expect(
      await failureOf(
        user.client.accounting.streaming.abort.mutate({ sessionId: first.sessionId, tokensGenerated: 1 }),
      ),
    ).toMatchObject({
      code: "CONFLICT",
    });

    const second = await user.client.accounting.streaming.initialize.mutate({
      modelId: TEST_MODEL,
      estimatedTokens: { input: 10, output: 10 },
    });
    const aborted = await user.client.accounting.streaming.abort.mutate({
      sessionId: second.sessionId,
      tokensGenerated: 2,
    });
    expect(
      await user.client.accounting.streaming.abort.mutate({
        sessionId: second.sessionId,
        tokensGenerated: 9,
      }),
    ).toEqual(aborted);
    const before = await user.client.accounting.balance.query();
    expect(
      await failureOf(
        user.client.accounting.streaming.finalize.mutate({
          sessionId: second.sessionId,
          actualTokens: { input: 1, output: 1 },
        }),
      ),
    ).toMatchObject({ code: "CONFLICT" });
    expect(await user.client.accounting.balance.query()).toEqual(before);
    await expectLedgerConsistent(server.db, user.user.id);
  });

  it("another user's reservation is NOT_FOUND", async () => {
    const { user } = await fundedUser(server, 1000);
    const stranger = await signUp(server);
    const { sessionId } = await user.client.accounting.streaming.initialize.mutate({
      modelId: TEST_MODEL,
      estimatedTokens: { input: 1, output: 1 },
    });
    expect(
      await failureOf(
        stranger.client.accounting.streaming.finalize.mutate({
          sessionId,
          actualTokens: { input: 1, output: 1 },
        }),
      ),
    ).toMatchObject({ code: "NOT_FOUND" });
    expect(
      await failureOf(stranger.client.accounting.streaming.abort.mutate({ sessionId, tokensGenerated: 1 })),
    ).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(
      await failureOf(
        stranger.client.accounting.streaming.finalize.mutate({
          sessionId: crypto.randomUUID(),
          actualTokens: { input: 1, output: 1 },
        }),
      ),
    ).toMatchObject({ code: "NOT_FOUND" });
  });

  it("not enough available credits → PAYMENT_REQUIRED with the available amount; nothing held", async () => {
    const { user } = await fundedUser(server, 100);
    const error = await failureOf(
      user.client.accounting.streaming.initialize.mutate({
        modelId: TEST_MODEL,
        estimatedTokens: { input: 50, output: 26 },
      }),
    );
    expect(error).toMatchObject({ code: "PAYMENT_REQUIRED", detail: { available: 100, required: 102 } });
    expect(await user.client.accounting.balance.query()).toMatchObject({ balance: 100, held: 0 });
  });

  it("a cost above the hold is captured from what is available, the rest recorded as shortfall; never negative", async () => {
    const { user } = await fundedUser(server, 300);
    const { sessionId } = await user.client.accounting.streaming.initialize.mutate({
      modelId: TEST_MODEL,
      estimatedTokens: { input: 50, output: 50 },
    });
    const result = await user.client.accounting.streaming.finalize.mutate({
      sessionId,
      actualTokens: { input: 100, output: 200 },
    });
    expect(result).toMatchObject({
      cost: 500,
      creditsCharged: 300,
      shortfall: 200,
      released: 0,
      balanceAfter: 0,
    });
    expect(await user.client.accounting.balance.query()).toMatchObject({ balance: 0, held: 0, available: 0 });
    await expectLedgerConsistent(server.db, user.user.id);
  });

  it("overspending one reservation never takes credits held by another", async () => {
    const { user } = await fundedUser(server, 300);
    const a = await user.client.accounting.streaming.initialize.mutate({
      modelId: TEST_MODEL,
      estimatedTokens: { input: 100, output: 0 },
    });
    const b = await user.client.accounting.streaming.initialize.mutate({
      modelId: TEST_MODEL,
      estimatedTokens: { input: 100, output: 0 },
    });
    const result = await user.client.accounting.streaming.finalize.mutate({
      sessionId: a.sessionId,
      actualTokens: { input: 1000, output: 0 },
    });
    // a's hold (100) plus the unheld 100; b's 100 stays held.
    expect(result).toMatchObject({ creditsCharged: 200, shortfall: 800 });
    expect(await user.client.accounting.balance.query()).toMatchObject({
      balance: 100,
      held: 100,
      available: 0,
    });
    await user.client.accounting.streaming.finalize.mutate({
      sessionId: b.sessionId,
      actualTokens: { input: 100, output: 0 },
    });
    expect(await user.client.accounting.balance.query()).toMatchObject({ balance: 0, held: 0 });
    await expectLedgerConsistent(server.db, user.user.id);
  });

  it("initialize with a sessionId is idempotent; another user's sessionId is a CONFLICT", async () => {
    const { user } = await fundedUser(server, 1000);
    const sessionId = crypto.randomUUID();
    const first = await user.client.accounting.streaming.initialize.mutate({
      sessionId,
      modelId: TEST_MODEL,
      estimatedTokens: { input: 100, output: 0 },
    });
    const second = await user.client.accounting.streaming.initialize.mutate({
      sessionId,
      modelId: TEST_MODEL,
      estimatedTokens: { input: 100, output: 0 },
    });
    expect(second.sessionId).toBe(first.sessionId);
    expect(await user.client.accounting.balance.query()).toMatchObject({ held: 100 });
    const stranger = await fundedUser(server, 1000);
    expect(
      await failureOf(
        stranger.user.client.accounting.streaming.initialize.mutate({
          sessionId,
          modelId: TEST_MODEL,
          estimatedTokens: { input: 1, output: 0 },
        }),
      ),
    ).toMatchObject({ code: "CONFLICT" });
  });

  it("a price change applies to new reservations only; past charges are never rewritten", async () => {
    const model = `price-test-${Date.now()}`;
    const priced = await startTestServer({
      env: { MODEL_PRICES: JSON.stringify({ [model]: { inputPer1k: 1000, outputPer1k: 1000 } }) },
    });
    try {
      const { admin, user } = await fundedUser(priced, 10_000);
      const done = await user.client.accounting.streaming.initialize.mutate({
        modelId: model,
        estimatedTokens: { input: 10, output: 0 },
      });
      await user.client.accounting.streaming.finalize.mutate({
        sessionId: done.sessionId,
        actualTokens: { input: 10, output: 0 },
      });
      const open = await user.client.accounting.streaming.initialize.mutate({
        modelId: model,
        estimatedTokens: { input: 10, output: 0 },
      });

      expect(
        await failureOf(user.client.admin.pricing.update.mutate({ modelId: model, inputPer1k: 5000 })),
      ).toMatchObject({
        code: "FORBIDDEN",
      });
      await admin.client.admin.pricing.update.mutate({ modelId: model, inputPer1k: 5000 });

      const settled = await user.client.accounting.streaming.finalize.mutate({
        sessionId: open.sessionId,
        actualTokens: { input: 10, output: 0 },
      });
      expect(settled.creditsCharged).toBe(10); // the price at initialize
      expect(
        await user.client.accounting.calculate.query({ modelId: model, inputTokens: 10, outputTokens: 0 }),
      ).toEqual({ credits: 50 });
      const stats = await user.client.accounting.usage.stats.query({});
      expect(stats.totals.credits).toBe(20);
    } finally {
      await priced.close();
    }
  });
});

describe("prices up to the maximum settle", () => {
  // The fuzz test's finding: without cache prices, parley_reservation_cost priced cache tokens at
  // input_per1k * 1000 in int, which overflows above 2,147,483 credits per 1,000 tokens (admins
  // may set up to MAX_PRICE_PER_1K): every finalize and abort at such a price answered 500.
  it("finalize and abort at MAX_PRICE_PER_1K per 1,000 input tokens, with no cache price", async () => {
    const model = "price-test.most-expensive";
    const priced = await startTestServer({
      env: { MODEL_PRICES: JSON.stringify({ [model]: { inputPer1k: MAX_PRICE_PER_1K, outputPer1k: 1000 } }) },
    });
    try {
      const { user } = await fundedUser(priced, 100_000);
      const cost = MAX_PRICE_PER_1K / 1000 + 1;
      for (const settle of ["finalize", "abort"] as const) {
        const { sessionId, held } = await user.client.accounting.streaming.initialize.mutate({
          modelId: model,
          estimatedTokens: { input: 1, output: 1 },
        });
        expect(held).toBe(cost);
        const result =
          settle === "finalize"
            ? await user.client.accounting.streaming.finalize.mutate({
                sessionId,
                actualTokens: { input: 1, output: 1 },
              })
            : await user.client.accounting.streaming.abort.mutate({ sessionId, tokensGenerated: 1 });
        expect(result).toMatchObject({ cost, creditsCharged: cost, shortfall: 0 });
      }
      await expectLedgerConsistent(priced.db, user.user.id);
    } finally {
      await priced.close();
    }
  });
});

describe("admin credit operations", () => {
  it("set, adjust and remove move the balance and leave an audit trail", async () => {
    const { admin, user } = await fundedUser(server, 100);
    const userId = user.user.id;
    expect(
      await admin.client.admin.credits.set.mutate({ userId, credits: 250, notes: "top up" }),
    ).toMatchObject({ balance: 250 });
    expect(
      await admin.client.admin.credits.adjust.mutate({ userId, adjustment: -50, notes: "correction" }),
    ).toMatchObject({ balance: 200 });
    expect(
      await admin.client.admin.credits.adjust.mutate({ userId, adjustment: 25, expiryDays: 7 }),
    ).toMatchObject({ balance: 225 });
    expect(
      await admin.client.admin.credits.remove.mutate({ userId, credits: 25, notes: "misuse" }),
    ).toMatchObject({ balance: 200 });
    expect(await admin.client.admin.credits.set.mutate({ userId, credits: 40 })).toMatchObject({
      balance: 40,
    });

    const history = await admin.client.admin.credits.historyOf.query({ userId });
    expect(history.items.map((e) => [e.type, e.amount])).toEqual([
      ["set", -160],
      ["remove", -25],
      ["adjust", 25],
      ["adjust", -50],
      ["set", 150],
      ["allocate", 100],
    ]);
    expect(history.items.every((e) => e.actor?.id === admin.user.id)).toBe(true);
    expect(history.items.find((e) => e.type === "remove")?.notes).toBe("misuse");
    const grants = await admin.client.admin.credits.grantsOf.query({ userId });
    expect(grants.find((g) => g.expiresAt)?.amount).toBe(25);
    await expectLedgerConsistent(server.db, userId);
  });

  it("balanceOf finds a user by id or by email", async () => {
    const { admin, user } = await fundedUser(server, 42);
    expect(await admin.client.admin.credits.balanceOf.query({ userId: user.user.id })).toMatchObject({
      balance: 42,
    });
    expect(
      await admin.client.admin.credits.balanceOf.query({ email: user.input.email.toUpperCase() }),
    ).toMatchObject({
      balance: 42,
      user: { id: user.user.id },
    });
    expect(
      await failureOf(admin.client.admin.credits.balanceOf.query({ email: "nobody@example.com" })),
    ).toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("refuses bad amounts, unknown users, removing held credits, and non-staff callers", async () => {
    const { admin, user } = await fundedUser(server, 100);
    const userId = user.user.id;
    for (const credits of [0, -5, 1.5]) {
      expect(await failureOf(admin.client.admin.credits.allocate.mutate({ userId, credits }))).toMatchObject({
        code: "BAD_REQUEST",
      });
    }
    expect(
      await failureOf(admin.client.admin.credits.adjust.mutate({ userId, adjustment: 0 })),
    ).toMatchObject({ code: "BAD_REQUEST" });
    expect(
      await failureOf(
        admin.client.admin.credits.allocate.mutate({ userId: crypto.randomUUID(), credits: 5 }),
      ),
    ).toMatchObject({
      code: "NOT_FOUND",
    });
    await user.client.accounting.streaming.initialize.mutate({
      modelId: TEST_MODEL,
      estimatedTokens: { input: 60, output: 0 },
    });
    expect(await failureOf(admin.client.admin.credits.remove.mutate({ userId, credits: 41 }))).toMatchObject({
      code: "BAD_REQUEST",
      detail: { available: 40 },
    });
    expect(await failureOf(admin.client.admin.credits.set.mutate({ userId, credits: 59 }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await failureOf(user.client.admin.credits.allocate.mutate({ userId, credits: 5 }))).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(
      await failureOf(server.client().admin.credits.allocate.mutate({ userId, credits: 5 })),
    ).toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expectLedgerConsistent(server.db, userId);
  });

  it("supervisors see one user's live sessions; only admins see everyone's; stats per user and for the system", async () => {
    const { user } = await fundedUser(server, 1000);
    const supervisor = await signUpAs(server, "supervisor");
    const admin = await signUpAs(server, "admin");
    const { sessionId } = await user.client.accounting.streaming.initialize.mutate({
      modelId: TEST_MODEL,
      estimatedTokens: { input: 5, output: 5 },
    });
    expect(await supervisor.client.admin.streaming.active.query({ userId: user.user.id })).toEqual([
      expect.objectContaining({ sessionId }),
    ]);
    expect(await failureOf(supervisor.client.admin.streaming.active.query({}))).toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await admin.client.admin.streaming.active.query({})).map((r) => r.sessionId)).toContain(
      sessionId,
    );
    await user.client.accounting.streaming.finalize.mutate({
      sessionId,
      actualTokens: { input: 5, output: 5 },
    });
    expect(await supervisor.client.admin.streaming.recent.query({ userId: user.user.id, limit: 5 })).toEqual([
      expect.objectContaining({ sessionId, status: "finalized", creditsCharged: 15 }),
    ]);
    expect((await supervisor.client.admin.usage.statsOf.query({ userId: user.user.id })).totals.credits).toBe(
      15,
    );
    expect(await failureOf(supervisor.client.admin.usage.systemStats.query({}))).toMatchObject({
      code: "FORBIDDEN",
    });
    const system = await admin.client.admin.usage.systemStats.query({});
    expect(system.topUsers).toContainEqual(expect.objectContaining({ userId: user.user.id, credits: 15 }));
  });
});

describe("welcome credits", () => {
  it("SIGNUP_CREDITS grants every new account credits, from the system", async () => {
    // Outside demo mode (where welcome credits are demo credits: tests/api/demo-mode.test.ts).
    const generous = await startTestServer({ env: { SIGNUP_CREDITS: "500", DEMO_MODE: "false" } });
    try {
      const { client } = await signUp(generous);
      expect(await client.accounting.balance.query()).toMatchObject({ balance: 500 });
      const [entry] = (await client.accounting.history.query({})).items;
      expect(entry).toMatchObject({ type: "allocate", amount: 500, actor: null, notes: "welcome credits" });
    } finally {
      await generous.close();
    }
  });
});
