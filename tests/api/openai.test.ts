// The OpenAI-compatible endpoint, black box: the official `openai` npm client against the real
// server and the fake Bedrock, metered through the same reservations and ledger as the chat.
import { fakeText } from "@parley/agent/fake-bedrock";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { startChatTestServer } from "../support/chat.ts";
import { expectLedgerConsistent } from "../support/ledger.ts";
import type { TestServer } from "../support/server.ts";

const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

let stack: Awaited<ReturnType<typeof startChatTestServer>>;
let server: TestServer;
beforeAll(async () => {
  stack = await startChatTestServer({
    BEDROCK_MODEL_ARNS: MODEL,
    // One credit per token, in and out, for easy arithmetic.
    MODEL_PRICES: JSON.stringify({ [MODEL]: { inputPer1k: 1000, outputPer1k: 1000 } }),
    CHAT_MAX_CONCURRENT_TURNS: "1",
  });
  ({ server } = stack);
});
afterAll(() => stack?.close());

async function programmer(credits = 1_000_000) {
  const { user } = await fundedUser(server, credits);
  const openai = new OpenAI({ apiKey: user.token, baseURL: `${server.url}/v1`, maxRetries: 0 });
  return { ...user, openai };
}

const usageRecords = async (userId: string) =>
  server.db.em
    .fork()
    .getConnection()
    .execute<{ input_tokens: number; output_tokens: number; credits: string }[]>(
      "select input_tokens, output_tokens, credits from usage_records where user_id = ? order by created_at",
      [userId],
    );

describe("the OpenAI-compatible endpoint", () => {
  it("lists the models", async () => {
    const { openai } = await programmer();
    const models = await openai.models.list();
    expect(models.data.map((m) => m.id)).toEqual([MODEL]);
  });

  it("answers a completion with usage, charged once through the ledger", async () => {
    const { openai, user, client } = await programmer();
    const result = await openai.chat.completions.create({
      model: MODEL,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
        { role: "user", content: "Tell me more [[fake tokens=12]]" },
      ],
    });
    expect(result.object).toBe("chat.completion");
    expect(result.choices[0]?.message.content).toBe(fakeText(12));
    expect(result.choices[0]?.finish_reason).toBe("stop");
    expect(result.usage?.completion_tokens).toBe(12);
    const request = stack.fake.requests.at(-1)?.body as {
      system?: { text: string }[];
      messages: { role: string }[];
    };
    expect(request.system?.[0]?.text).toBe("Be brief.");
    expect(request.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    const records = await usageRecords(user.id);
    expect(records).toHaveLength(1);
    expect(Number(records[0]?.credits)).toBe((result.usage?.prompt_tokens ?? 0) + 12);
    expect((await client.accounting.balance.query()).held).toBe(0);
    await expectLedgerConsistent(server.db, user.id);
  });

  it("streams chunks, then the usage when asked", async () => {
    const { openai, user } = await programmer();
    const stream = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Stream it [[fake tokens=20]]" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const part of stream) {
      text += part.choices[0]?.delta.content ?? "";
      finish = part.choices[0]?.finish_reason ?? finish;
      usage = part.usage ?? usage;
    }
    expect(text).toBe(fakeText(20));
    expect(finish).toBe("stop");
    expect(usage?.completion_tokens).toBe(20);
    await expectLedgerConsistent(server.db, user.id);
  });

  it("passes max_tokens, temperature and stop to Bedrock and holds only what max_tokens can cost", async () => {
    const { openai, user } = await programmer();
    const short = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Long [[fake tokens=50]]" }],
      max_tokens: 5,
      temperature: 0.2,
    });
    expect(short.choices[0]?.message.content).toBe(fakeText(5));
    expect(short.choices[0]?.finish_reason).toBe("length");
    const sent = stack.fake.requests.at(-1)?.body as {
      inferenceConfig?: { maxTokens?: number; temperature?: number };
    };
    expect(sent.inferenceConfig).toMatchObject({ maxTokens: 5, temperature: 0.2 });
    const [held] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ estimated_output_tokens: number }[]>(
        "select estimated_output_tokens from reservations where user_id = ? order by created_at desc limit 1",
        [user.id],
      );
    expect(held?.estimated_output_tokens).toBe(5);
    const stopped = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Count [[fake tokens=50]]" }],
      stop: ["word4"],
    });
    expect(stopped.choices[0]?.message.content).toBe(`${fakeText(3)} `);
  });

  it("errors in OpenAI's shape: 401 without a key, 404 for an unknown model, 400 for bad input", async () => {
    const anonymous = new OpenAI({ apiKey: "nope", baseURL: `${server.url}/v1`, maxRetries: 0 });
    await expect(anonymous.models.list()).rejects.toMatchObject({ status: 401, code: "invalid_api_key" });
    const { openai } = await programmer();
    await expect(
      openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
    ).rejects.toMatchObject({ status: 404, code: "model_not_found" });
    await expect(
      openai.chat.completions.create({ model: MODEL, messages: [{ role: "assistant", content: "hi" }] }),
    ).rejects.toMatchObject({ status: 400, type: "invalid_request_error" });
    await expect(
      openai.chat.completions.create({
        model: MODEL,
        messages: [{ role: "user", content: "hi" }],
        temperature: 1.5,
      }),
    ).rejects.toMatchObject({ status: 400, param: "temperature" });
  });

  // The question is stored, and PostgreSQL refuses a NUL in text: this was a bare 500 (the tRPC
  // procedures' schemas refuse such text, but this endpoint's messages reach the chat unchecked).
  it.each([
    ["a NUL character", "a\u0000b"],
    ["an unpaired surrogate", "a\ud800b"],
  ])("400 for %s in the question, and nothing held or charged", async (_name, bad) => {
    const { openai, user, client } = await programmer();
    await expect(
      openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: bad }] }),
    ).rejects.toMatchObject({ status: 400, type: "invalid_request_error" });
    expect(await client.accounting.balance.query()).toMatchObject({ balance: 1_000_000, held: 0 });
    expect(await usageRecords(user.id)).toEqual([]);
  });

  it("402 without credits; 429 with retry-after beyond the concurrent limit", async () => {
    const poor = await programmer(0);
    await expect(
      poor.openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }] }),
    ).rejects.toMatchObject({ status: 402, code: "insufficient_quota" });

    const { openai } = await programmer();
    const running = openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Slow [[fake tokens=40 rate=40]]" }],
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const busy = await openai.chat.completions
      .create({ model: MODEL, messages: [{ role: "user", content: "Another" }] })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(busy).toBeInstanceOf(OpenAI.APIError);
    expect((busy as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
    expect((busy as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after")).toBe("5");
    await running;
  });

  it("a client that goes away mid-stream stops the answer and pays for what was produced", async () => {
    const { openai, user, client } = await programmer();
    const controller = new AbortController();
    const stream = await openai.chat.completions.create(
      {
        model: MODEL,
        messages: [{ role: "user", content: "Go on [[fake tokens=400 rate=50]]" }],
        stream: true,
      },
      { signal: controller.signal },
    );
    let words = 0;
    try {
      for await (const part of stream) {
        words += (part.choices[0]?.delta.content ?? "").split("word").length - 1;
        if (words >= 5) controller.abort();
      }
    } catch {
      // The client reports its own abort; either way the connection is gone.
    }
    expect(words).toBeGreaterThanOrEqual(5);
    await expect.poll(async () => (await usageRecords(user.id)).length, { timeout: 10_000 }).toBe(1);
    const [record] = await usageRecords(user.id);
    expect(record?.output_tokens).toBeGreaterThanOrEqual(5);
    expect(record?.output_tokens).toBeLessThan(400);
    expect((await client.accounting.balance.query()).held).toBe(0);
    await expectLedgerConsistent(server.db, user.id);
  });
});
