import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountingEnv, costOf, fundedUser, TEST_MODEL } from "../support/accounting.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: accountingEnv });
});
afterAll(() => server?.close());

describe("accounting.groupedHistory", () => {
  it("folds each answer's hold, charge and release into one row; other movements stay one row each", async () => {
    const { user } = await fundedUser(server, 1000);
    const answer = async (output: number) => {
      const { sessionId } = await user.client.accounting.streaming.initialize.mutate({
        modelId: TEST_MODEL,
        estimatedTokens: { input: 100, output: 200 },
      });
      return {
        sessionId,
        settle: () =>
          user.client.accounting.streaming.finalize.mutate({
            sessionId,
            actualTokens: { input: 90, output },
          }),
      };
    };
    const first = await answer(50);
    await first.settle();
    const second = await answer(10);
    await second.settle();
    const open = await answer(0);

    const grouped = await user.client.accounting.groupedHistory.query({});
    expect(grouped.total).toBe(4);
    expect(grouped.items.map((row) => [row.kind, row.type, row.amount])).toEqual([
      ["answer", "reserve", 0],
      ["answer", "capture", -costOf(90, 10)],
      ["answer", "capture", -costOf(90, 50)],
      ["movement", "allocate", 1000],
    ]);
    const [still, latest] = grouped.items;
    expect(still).toMatchObject({ key: open.sessionId, modelId: TEST_MODEL, heldAfter: costOf(100, 200) });
    expect(latest?.key).toBe(second.sessionId);
    expect(latest?.entries.map((e) => e.type)).toEqual(["reserve", "capture", "release"]);
    expect(latest?.balanceAfter).toBe(1000 - costOf(90, 50) - costOf(90, 10));
    // The full ledger still has every entry, newest first.
    expect((await user.client.accounting.history.query({ size: 100 })).total).toBe(8);
  });

  it("pages by rows and filters by the type of an entry inside the row", async () => {
    const { user } = await fundedUser(server, 1000);
    for (let i = 0; i < 3; i += 1) {
      const { sessionId } = await user.client.accounting.streaming.initialize.mutate({
        modelId: TEST_MODEL,
        estimatedTokens: { input: 10, output: 10 },
      });
      await user.client.accounting.streaming.finalize.mutate({
        sessionId,
        actualTokens: { input: 10, output: 10 },
      });
    }
    const second = await user.client.accounting.groupedHistory.query({ page: 2, size: 2 });
    expect(second).toMatchObject({ page: 2, pages: 2, total: 4 });
    expect(second.items.map((row) => row.kind)).toEqual(["answer", "movement"]);

    const added = await user.client.accounting.groupedHistory.query({ type: "allocate" });
    expect(added.items.map((row) => row.type)).toEqual(["allocate"]);
    const answers = await user.client.accounting.groupedHistory.query({ type: "reserve" });
    expect(answers.total).toBe(3);
    // The whole hold was used, so nothing was released: held and charged only.
    expect(answers.items.map((row) => row.entries.map((e) => e.type))).toEqual(
      Array(3).fill(["reserve", "capture"]),
    );
  });

  it("shows only the caller's own rows", async () => {
    const { user: other } = await fundedUser(server, 500);
    const { user } = await fundedUser(server, 700);
    const rows = await user.client.accounting.groupedHistory.query({});
    expect(rows.items.map((row) => row.amount)).toEqual([700]);
    expect((await other.client.accounting.groupedHistory.query({})).items.map((row) => row.amount)).toEqual([
      500,
    ]);
  });
});
