// Bedrock prompt caching end to end: cache points sent through @langchain/aws for models that
// cache, the fake Bedrock reading and writing its cache as Bedrock does, and the turn charged at
// the cache prices exactly as Bedrock bills (plain input, cache reads and cache writes apart).
import { creditsFor } from "@parley/accounting";
import type { FakeBedrock, RecordedRequest } from "@parley/agent/fake-bedrock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { converse, eventsOfType, startChatTestServer } from "../support/chat.ts";
import { failureOf } from "../support/errors.ts";
import { expectLedgerConsistent } from "../support/ledger.ts";
import type { TestServer } from "../support/server.ts";

const CACHED = "anthropic.claude-3-7-sonnet-20250219-v1:0";
const UNCACHED = "anthropic.claude-3-5-sonnet-20241022-v2:0";
// One credit per plain token; a cache read a tenth of one, a cache write 1.25.
const PRICES = { inputPer1k: 1000, outputPer1k: 1000, cacheReadPer1m: 100_000, cacheWritePer1m: 1_250_000 };

let fake: FakeBedrock;
let server: TestServer;
let stack: Awaited<ReturnType<typeof startChatTestServer>>;
beforeAll(async () => {
  stack = await startChatTestServer({
    BEDROCK_MODEL_ARNS: `${CACHED},${UNCACHED}`,
    MODEL_PRICES: JSON.stringify({ [CACHED]: PRICES, [UNCACHED]: { inputPer1k: 1000, outputPer1k: 1000 } }),
    CHAT_MAX_MESSAGE_CHARS: "20000",
  });
  ({ server, fake } = stack);
});
afterAll(() => stack?.close());

async function chatter(modelId: string) {
  const { admin, user } = await fundedUser(server, 1_000_000);
  const session = await user.client.sessions.create.mutate({ modelId });
  return { ...user, admin, session };
}

/** A message of `n` distinct words (the fake counts a word as a token). */
const longMessage = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(" ");

interface ReservationRow {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  captured: string;
}

async function reservationOf(turnId: string): Promise<ReservationRow> {
  const [row] = await server.db.em
    .fork()
    .getConnection()
    .execute<ReservationRow[]>(
      `select input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, captured
         from reservations where id = ?`,
      [turnId],
    );
  if (!row) throw new Error(`no reservation ${turnId}`);
  return row;
}

const hasCachePoint = (blocks: object[] | undefined) => (blocks ?? []).some((b) => "cachePoint" in b);
interface SentBody {
  system?: object[];
  messages: { content: object[] }[];
}
const bodyOf = (request: RecordedRequest | undefined) => request?.body as SentBody;

describe("prompt caching", () => {
  it("caches the conversation for a model that supports it, and charges reads and writes at their prices", async () => {
    const { client, session, user } = await chatter(CACHED);
    fake.reset();
    const turns: { turnId: string; creditsCharged: number }[] = [];
    for (const tag of ["a", "b", "c"]) {
      const events = await converse(client, {
        sessionId: session.id,
        content: `${longMessage(tag, 600)} [[fake tokens=30]]`,
      });
      const [started] = eventsOfType(events, "started");
      const [done] = eventsOfType(events, "done");
      turns.push({ turnId: started?.turnId ?? "", creditsCharged: done?.creditsCharged ?? -1 });
    }
    // Cache points after the system prompt and after the last message, as LangChain's cache_control places them.
    const first = bodyOf(fake.requests[0]);
    expect(hasCachePoint(first.system)).toBe(true);
    expect(hasCachePoint(first.messages.at(-1)?.content)).toBe(true);

    const rows = await Promise.all(turns.map((t) => reservationOf(t.turnId)));
    // Turn 1: the prompt (~640 tokens) is below the 1,024-token minimum: nothing cached.
    expect(rows[0]).toMatchObject({ cache_read_tokens: 0, cache_write_tokens: 0 });
    // Turn 2 writes the whole prompt (> 1,024); turn 3 reads it back and writes what is new.
    expect(rows[1]?.cache_read_tokens).toBe(0);
    expect(rows[1]?.cache_write_tokens).toBeGreaterThan(1024);
    expect(rows[2]?.cache_read_tokens).toBe(rows[1]?.cache_write_tokens);
    expect(rows[2]?.cache_write_tokens).toBeGreaterThan(600);
    for (const [i, row] of rows.entries()) {
      const expected = creditsFor(PRICES, {
        input: row.input_tokens,
        output: row.output_tokens,
        cacheRead: row.cache_read_tokens,
        cacheWrite: row.cache_write_tokens,
      });
      expect(Number(row.captured)).toBe(expected);
      expect(turns[i]?.creditsCharged).toBe(expected);
    }
    // The usage record says what the cache did.
    const [usage] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ metadata: { cacheReadTokens: number; cacheWriteTokens: number } }[]>(
        "select metadata from usage_records where reservation_id = ?",
        [turns[2]?.turnId],
      );
    expect(usage?.metadata).toMatchObject({
      cacheReadTokens: rows[2]?.cache_read_tokens,
      cacheWriteTokens: rows[2]?.cache_write_tokens,
    });
    await expectLedgerConsistent(server.db, user.id);
  });

  it("sends no cache points for a model without prompt caching", async () => {
    const { client, session } = await chatter(UNCACHED);
    fake.reset();
    const events = await converse(client, {
      sessionId: session.id,
      content: `${longMessage("x", 1200)} [[fake tokens=5]]`,
    });
    const body = bodyOf(fake.requests[0]);
    expect(hasCachePoint(body.system)).toBe(false);
    expect(hasCachePoint(body.messages.at(-1)?.content)).toBe(false);
    const [started] = eventsOfType(events, "started");
    expect(await reservationOf(started?.turnId ?? "")).toMatchObject({
      cache_read_tokens: 0,
      cache_write_tokens: 0,
    });
  });

  it("admins price the cache per model; clearing both prices turns caching off, one alone is refused", async () => {
    const { admin, client, session } = await chatter(CACHED);
    const listed = await admin.client.admin.pricing.list.query();
    expect(listed.find((m) => m.modelId === CACHED)).toMatchObject({
      cacheReadPer1m: 100_000,
      cacheWritePer1m: 1_250_000,
    });
    expect(listed.find((m) => m.modelId === UNCACHED)).toMatchObject({
      cacheReadPer1m: null,
      cacheWritePer1m: null,
    });

    const half = await failureOf(
      admin.client.admin.pricing.update.mutate({ modelId: CACHED, cacheReadPer1m: null }),
    );
    expect(half).toMatchObject({ code: "BAD_REQUEST", detail: { field: "cacheReadPer1m" } });
    const negative = await failureOf(
      admin.client.admin.pricing.update.mutate({ modelId: CACHED, cacheWritePer1m: -1 }),
    );
    expect(negative.code).toBe("BAD_REQUEST");
    const notAdmin = await failureOf(
      client.admin.pricing.update.mutate({ modelId: CACHED, cacheReadPer1m: 1 }),
    );
    expect(notAdmin.code).toBe("FORBIDDEN");

    try {
      const off = await admin.client.admin.pricing.update.mutate({
        modelId: CACHED,
        cacheReadPer1m: null,
        cacheWritePer1m: null,
      });
      expect(off).toMatchObject({ cacheReadPer1m: null, cacheWritePer1m: null });
      fake.reset();
      await converse(client, { sessionId: session.id, content: "Hello [[fake tokens=3]]" });
      expect(hasCachePoint(bodyOf(fake.requests[0]).system)).toBe(false);
    } finally {
      await admin.client.admin.pricing.update.mutate({
        modelId: CACHED,
        cacheReadPer1m: 100_000,
        cacheWritePer1m: 1_250_000,
      });
    }
  });
});
