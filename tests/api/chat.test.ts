// Chat end to end: the real server, the real LangGraph graph and @langchain/aws + AWS SDK,
// talking HTTP/1.1 over a keep-alive pool to the fake Bedrock Runtime server, with answers
// streamed over tRPC SSE.
import { type FakeBedrock, fakeText } from "@parley/agent/fake-bedrock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import {
  converse,
  eventsOfType,
  sendMessage,
  startChatTestServer,
  streamTurn,
  textOf,
} from "../support/chat.ts";
import { failureOf } from "../support/errors.ts";
import { expectLedgerConsistent } from "../support/ledger.ts";
import type { TestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
const OTHER_MODEL = "us.anthropic.claude-3-5-sonnet-20241022-v2:0";

let fake: FakeBedrock;
let server: TestServer;
let stack: Awaited<ReturnType<typeof startChatTestServer>>;
beforeAll(async () => {
  stack = await startChatTestServer({
    BEDROCK_MODEL_ARNS: `${MODEL},${OTHER_MODEL}`,
    // One credit per token, in and out, for easy arithmetic.
    MODEL_PRICES: JSON.stringify({ [MODEL]: { inputPer1k: 1000, outputPer1k: 1000 } }),
    CHAT_MAX_MESSAGE_CHARS: "2000",
    CHAT_MAX_CONCURRENT_TURNS: "2",
  });
  ({ server, fake } = stack);
});
afterAll(() => stack?.close());

async function chatter(credits = 100_000) {
  const { user } = await fundedUser(server, credits);
  const session = await user.client.sessions.create.mutate({});
  return { ...user, session };
}

const usageRows = (reservationId: string) =>
  server.db.em
    .fork()
    .getConnection()
    .execute<{ input_tokens: number; output_tokens: number; credits: string }[]>(
      "select input_tokens, output_tokens, credits from usage_records where reservation_id = ?",
      [reservationId],
    );

describe("sessions.send streams the answer", () => {
  it("streams tokens, reports usage, charges exactly once, stores both messages and titles the chat", async () => {
    const { client, session, user } = await chatter();
    const stream = await sendMessage(client, {
      sessionId: session.id,
      content: "Tell me something [[fake tokens=12]]",
    });
    const events = await stream.finished;

    const types = events.map((e) => e.event.type);
    expect(types[0]).toBe("started");
    expect(types.at(-1)).toBe("done");
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length); // tracked ids are unique
    expect(stream.text()).toBe(fakeText(12));

    const [usage] = eventsOfType(events, "usage");
    expect(usage?.outputTokens).toBe(12);
    const [done] = eventsOfType(events, "done");
    expect(done).toMatchObject({
      status: "complete",
      content: fakeText(12),
      title: "Tell me something [[fake tokens=12]]",
    });
    expect(done?.creditsCharged).toBe((usage?.inputTokens ?? 0) + 12);
    expect(done?.balance.balance).toBe(100_000 - (done?.creditsCharged ?? 0));

    // The reservation is the turn's, and its id never reaches the client.
    expect(JSON.stringify(events)).not.toContain("reservationId");
    expect(await usageRows(stream.turnId)).toHaveLength(1);

    const detail = await client.sessions.get.query({ sessionId: session.id });
    expect(detail.messages.map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
    ]);
    expect(detail.messages[1]).toMatchObject({
      content: fakeText(12),
      outputTokens: 12,
      credits: done?.creditsCharged,
    });
    const list = await client.sessions.list.query({});
    expect(list.items[0]).toMatchObject({
      id: session.id,
      messageCount: 2,
      lastMessagePreview: fakeText(12),
    });
    await expectLedgerConsistent(server.db, user.id);
  });

  it("sends the history to the model on the next turn", async () => {
    const { client, session } = await chatter();
    await converse(client, { sessionId: session.id, content: "first [[fake tokens=3]]" });
    fake.reset();
    await converse(client, { sessionId: session.id, content: "second [[fake tokens=3]]" });
    const body = fake.requests[0]?.body as { messages: { role: string; content: { text?: string }[] }[] };
    expect(body.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(body.messages[1]?.content[0]?.text).toBe(fakeText(3));
  });

  it("runs a tool: toolCall and toolResult events, then the answer; the call is stored with the message", async () => {
    const { client, session } = await chatter();
    const input = encodeURIComponent(JSON.stringify({ expression: "6 * 7" }));
    const events = await converse(client, {
      sessionId: session.id,
      content: `What is 6 times 7? [[fake tool=calculator input=${input}]]`,
    });
    expect(eventsOfType(events, "toolCall")[0]).toMatchObject({
      name: "calculator",
      args: { expression: "6 * 7" },
    });
    expect(eventsOfType(events, "toolResult")[0]).toMatchObject({ name: "calculator", result: "42" });
    const [done] = eventsOfType(events, "done");
    expect(done?.content).toContain("Tool calculator returned: 42");
    // Usage is summed over both model calls of the turn.
    const usages = eventsOfType(events, "usage");
    expect(usages).toHaveLength(2);
    const detail = await client.sessions.get.query({ sessionId: session.id });
    expect(detail.messages[1]?.toolCalls).toEqual([
      expect.objectContaining({ name: "calculator", args: { expression: "6 * 7" }, result: "42" }),
    ]);
  });

  it("reuses its connections to Bedrock: answers one after another open no new one", async () => {
    const { client, session } = await chatter();
    await converse(client, { sessionId: session.id, content: "Warm up [[fake tokens=3]]" });
    const before = fake.connections;
    for (let i = 0; i < 3; i++) {
      await converse(client, { sessionId: session.id, content: `Again ${i} [[fake tokens=3]]` });
    }
    // One answer at a time reuses the pooled connection (the SDK's HTTP/2 handler opened one per
    // answer: 3 here); one more is tolerated, should a socket come back to the pool a moment late.
    expect(fake.connections - before).toBeLessThanOrEqual(1);
    expect(fake.requests.at(-1)?.httpVersion).toBe("1.1");
  });

  it("is retried when Bedrock throttles, then charged once", async () => {
    const { client, session } = await chatter();
    fake.reset();
    const stream = await sendMessage(client, {
      sessionId: session.id,
      content: "busy? [[fake throttle=2 tokens=4]]",
    });
    const events = await stream.finished;
    expect(eventsOfType(events, "done")[0]?.status).toBe("complete");
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(2);
    expect(await usageRows(stream.turnId)).toHaveLength(1);
  });
});

describe("stops, disconnects and faults", () => {
  it("stop ends the answer: the Bedrock request is aborted, the partial answer stored as incomplete, produced tokens charged", async () => {
    const { client, session, user } = await chatter();
    fake.reset();
    const stream = await sendMessage(client, {
      sessionId: session.id,
      content: "long one [[fake tokens=400 rate=60]]",
    });
    await stream.until((events) => eventsOfType(events, "token").length >= 5);
    expect(await client.sessions.stop.mutate({ turnId: stream.turnId })).toEqual({ stopped: true });
    const events = await stream.finished;

    const [done] = eventsOfType(events, "done");
    expect(done?.status).toBe("incomplete");
    await fake.idle();
    expect(fake.requests[0]?.aborted).toBe(true);
    expect(fake.requests[0]?.tokensSent).toBeLessThan(400);

    const detail = await client.sessions.get.query({ sessionId: session.id });
    const answer = detail.messages[1];
    expect(answer?.status).toBe("incomplete");
    expect(answer?.content).toBe(done?.content);
    const words = answer?.content.trim().split(" ").length ?? 0;
    expect(answer?.outputTokens).toBe(words); // one token per word from the fake: exactly what was produced
    const [row] = await usageRows(stream.turnId);
    expect(row?.output_tokens).toBe(words);
    expect(Number(row?.credits)).toBe(row ? row.input_tokens + row.output_tokens : -1);
    await expectLedgerConsistent(server.db, user.id);
  });

  it("a client that disconnects: the answer goes on, is stored complete, and replays from its start later", async () => {
    const { client, session, user } = await chatter();
    fake.reset();
    const stream = await sendMessage(client, {
      sessionId: session.id,
      content: "bye [[fake tokens=30 rate=60]]",
    });
    await stream.until((events) => eventsOfType(events, "token").length >= 3);
    stream.disconnect();
    await expect
      .poll(async () => (await client.sessions.get.query({ sessionId: session.id })).messages.length, {
        timeout: 10_000,
      })
      .toBe(2);
    const answer = (await client.sessions.get.query({ sessionId: session.id })).messages[1];
    expect(answer).toMatchObject({ status: "complete", content: fakeText(30) });
    // A client that joins late (a reload, a second tab) gets the answer from its start.
    const late = await streamTurn(client, stream.turnId).finished;
    expect(eventsOfType(late, "started")).toHaveLength(1);
    expect(textOf(late)).toBe(fakeText(30));
    expect(eventsOfType(late, "done")[0]).toMatchObject({ status: "complete", content: fakeText(30) });
    expect(await client.accounting.streaming.active.query()).toEqual([]);
    await expectLedgerConsistent(server.db, user.id);
  });

  it("a reconnecting client resumes after its last event: no token lost or repeated", async () => {
    const { client, session } = await chatter();
    const first = await sendMessage(client, {
      sessionId: session.id,
      content: "resume me [[fake tokens=60 rate=100]]",
    });
    const seen = await first.until((events) => eventsOfType(events, "token").length >= 4);
    first.disconnect();
    const lastEventId = seen.at(-1)?.id ?? null;
    const before = first.text();
    const second = streamTurn(client, first.turnId, lastEventId);
    await second.finished;
    expect(before + second.text()).toBe(fakeText(60));
    expect(eventsOfType(second.events, "done")[0]?.status).toBe("complete");
  });

  it("Bedrock failing mid-stream: an error event, the partial text kept, charged for what was produced, hold released", async () => {
    const { client, session, user } = await chatter();
    const events = await converse(client, {
      sessionId: session.id,
      content: "oops [[fake tokens=50 fail-after=5]]",
    });
    const [error] = eventsOfType(events, "error");
    expect(error).toMatchObject({ code: "MODEL_ERROR" });
    const answer = (await client.sessions.get.query({ sessionId: session.id })).messages[1];
    expect(answer).toMatchObject({ status: "failed", content: fakeText(5), outputTokens: 5 });
    expect(error?.creditsCharged).toBe(answer?.credits);
    expect(await client.accounting.balance.query()).toMatchObject({ held: 0 });
    await expectLedgerConsistent(server.db, user.id);
  });

  it("access denied: a clear error, nothing charged, the hold released", async () => {
    const { client, session } = await chatter();
    const events = await converse(client, {
      sessionId: session.id,
      content: "[[fake error=AccessDeniedException:403]]",
    });
    // Bedrock refused the request: AWS bills nothing for it, so neither does Parley.
    expect(eventsOfType(events, "error")[0]).toMatchObject({ code: "ACCESS_DENIED", creditsCharged: 0 });
    expect(await client.accounting.balance.query()).toMatchObject({ balance: 100_000, held: 0 });
  });
});

describe("server shutdown", () => {
  it("ends running answers first: each is stored as incomplete and charged for what it produced", async () => {
    const own = await startChatTestServer();
    let closed = false;
    try {
      const { user } = await fundedUser(own.server, 100_000);
      const session = await user.client.sessions.create.mutate({});
      const stream = await sendMessage(user.client, {
        sessionId: session.id,
        content: "long [[fake tokens=400 rate=50]]",
      });
      await stream.until((events) => eventsOfType(events, "token").length >= 3);
      await own.server.close();
      closed = true;
      // The answer ended (and was stored and charged) before the server stopped serving its stream.
      const [done] = eventsOfType(stream.events, "done");
      expect(done?.status).toBe("incomplete");
      expect(done?.messageId).toEqual(expect.any(String));
      expect(done?.creditsCharged).toBeGreaterThan(0);
    } finally {
      if (!closed) await own.server.close();
      await own.fake.close();
    }
  });
});

describe("refusals", () => {
  it("not enough credits: PAYMENT_REQUIRED from send before any model call; nothing stored", async () => {
    const { client, session } = await chatter(0);
    fake.reset();
    const failure = await failureOf(client.sessions.send.mutate({ sessionId: session.id, content: "hello" }));
    expect(failure.code).toBe("PAYMENT_REQUIRED");
    expect(fake.requests).toHaveLength(0);
    const detail = await client.sessions.get.query({ sessionId: session.id });
    expect(detail.messages).toEqual([]);
    expect(await client.sessions.active.query()).toEqual([]);
  });

  it("empty, oversized, or for an unknown model → BAD_REQUEST; nothing stored", async () => {
    const { client, session } = await chatter();
    for (const content of ["   ", "x".repeat(2001)]) {
      expect((await failureOf(client.sessions.send.mutate({ sessionId: session.id, content }))).code).toBe(
        "BAD_REQUEST",
      );
    }
    const unknown = await failureOf(
      client.sessions.send.mutate({ sessionId: session.id, content: "hi", modelId: "nope" }),
    );
    expect(unknown.code).toBe("BAD_REQUEST");
    expect(unknown.message).toContain(MODEL);
    expect((await client.sessions.get.query({ sessionId: session.id })).messages).toEqual([]);
    // Beyond the hard cap the input itself is invalid.
    expect(
      (await failureOf(client.sessions.rename.mutate({ sessionId: session.id, title: "x".repeat(201) })))
        .code,
    ).toBe("BAD_REQUEST");
  });

  it("malformed turn ids and resume ids → BAD_REQUEST", async () => {
    const { client, session } = await chatter();
    const { turnId } = await client.sessions.send.mutate({
      sessionId: session.id,
      content: "ok [[fake tokens=2]]",
    });
    for (const input of [
      { turnId: "not-a-uuid" },
      { turnId: "x".repeat(5000) },
      { turnId, lastEventId: "-3" },
      { turnId, lastEventId: `${turnId}:-3` },
      { turnId, lastEventId: "9".repeat(40) },
    ]) {
      const failure = await new Promise<unknown>((resolve) => {
        const sub = client.sessions.stream.subscribe(input, {
          onError: resolve,
          onData: () => {
            sub.unsubscribe();
            resolve(null);
          },
        });
      });
      expect((await failureOf(Promise.reject(failure))).code).toBe("BAD_REQUEST");
    }
    expect((await failureOf(client.sessions.stop.mutate({ turnId: "nope" }))).code).toBe("BAD_REQUEST");
  });

  it("another user's session and turns are NOT_FOUND everywhere", async () => {
    const { client, session } = await chatter();
    const { turnId } = await client.sessions.send.mutate({
      sessionId: session.id,
      content: "mine [[fake tokens=2]]",
    });
    const stranger = await signUp(server);
    for (const call of [
      () => stranger.client.sessions.get.query({ sessionId: session.id }),
      () => stranger.client.sessions.rename.mutate({ sessionId: session.id, title: "mine" }),
      () => stranger.client.sessions.delete.mutate({ sessionId: session.id }),
      () => stranger.client.sessions.send.mutate({ sessionId: session.id, content: "hi" }),
      () => stranger.client.sessions.stop.mutate({ turnId }),
    ]) {
      expect((await failureOf(call())).code).toBe("NOT_FOUND");
    }
    const streamFailure = await streamTurn(stranger.client, turnId).finished.then(
      () => null,
      (error: unknown) => error,
    );
    expect((await failureOf(Promise.reject(streamFailure))).code).toBe("NOT_FOUND");
  });
});

describe("turns the server owns", () => {
  it("the accounting API cannot settle an answer's reservation (FORBIDDEN); the answer is charged in full", async () => {
    const { client, session, user } = await chatter();
    const stream = await sendMessage(client, {
      sessionId: session.id,
      content: "free? [[fake tokens=40 rate=80]]",
    });
    await stream.until((events) => eventsOfType(events, "token").length >= 2);
    const zero = { input: 0, output: 0 };
    for (const attempt of [
      () => client.accounting.streaming.finalize.mutate({ sessionId: stream.turnId, actualTokens: zero }),
      () => client.accounting.streaming.abort.mutate({ sessionId: stream.turnId, tokensGenerated: 0 }),
    ]) {
      expect((await failureOf(attempt())).code).toBe("FORBIDDEN");
    }
    const [done] = eventsOfType(await stream.finished, "done");
    expect(done?.status).toBe("complete");
    const [row] = await usageRows(stream.turnId);
    expect(row?.output_tokens).toBe(40);
    expect(Number(row?.credits)).toBe(done?.creditsCharged);
    await expectLedgerConsistent(server.db, user.id);
  });

  it("a retried send with the same clientRequestId returns the same turn: one message, one charge", async () => {
    const { client, session, user } = await chatter();
    const input = {
      sessionId: session.id,
      content: "once [[fake tokens=4]]",
      clientRequestId: crypto.randomUUID(),
    };
    const sends = await Promise.all([client.sessions.send.mutate(input), client.sessions.send.mutate(input)]);
    expect(sends[1]).toEqual(sends[0]);
    await streamTurn(client, sends[0].turnId).finished;
    expect(await client.sessions.send.mutate(input)).toEqual(sends[0]);
    const detail = await client.sessions.get.query({ sessionId: session.id });
    expect(detail.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(await usageRows(sends[0].turnId)).toHaveLength(1);
    await expectLedgerConsistent(server.db, user.id);
  });

  it("one answer at a time per chat (CONFLICT) and at most CHAT_MAX_CONCURRENT_TURNS per user (TOO_MANY_REQUESTS)", async () => {
    const { client, session } = await chatter();
    const slow = "slow [[fake tokens=300 rate=50]]";
    const first = await client.sessions.send.mutate({ sessionId: session.id, content: slow });
    expect(
      (await failureOf(client.sessions.send.mutate({ sessionId: session.id, content: "again" }))).code,
    ).toBe("CONFLICT");
    const other = await client.sessions.create.mutate({});
    const second = await client.sessions.send.mutate({ sessionId: other.id, content: slow });
    const third = await client.sessions.create.mutate({});
    const refused = await failureOf(client.sessions.send.mutate({ sessionId: third.id, content: slow }));
    expect(refused.code).toBe("TOO_MANY_REQUESTS");
    expect((await failureOf(client.sessions.direct.mutate({ content: slow }))).code).toBe(
      "TOO_MANY_REQUESTS",
    );
    expect((await client.sessions.get.query({ sessionId: third.id })).messages).toEqual([]);
    expect((await client.sessions.active.query()).map((t) => t.turnId).sort()).toEqual(
      [first.turnId, second.turnId].sort(),
    );
    for (const { turnId } of [first, second]) await client.sessions.stop.mutate({ turnId });
    await expect.poll(() => client.sessions.active.query()).toEqual([]);
  });

  it("deactivating a user ends their running answers at once: stored incomplete, charged as produced", async () => {
    const { client, session, user } = await chatter();
    const admin = await signUpAs(server, "admin");
    const stream = await sendMessage(client, {
      sessionId: session.id,
      content: "go [[fake tokens=400 rate=50]]",
    });
    await stream.until((events) => eventsOfType(events, "token").length >= 3);
    await admin.client.admin.users.update.mutate({ userId: user.id, active: false });
    await expect
      .poll(async () => {
        const rows = await server.db.em
          .fork()
          .getConnection()
          .execute<{ status: string }[]>("select status from chat_turns where id = ?", [stream.turnId]);
        return rows[0]?.status;
      })
      .toBe("stopped");
    const [message] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ status: string; output_tokens: number; credits: string }[]>(
        "select status, output_tokens, credits from chat_messages where reservation_id = ?",
        [stream.turnId],
      );
    expect(message?.status).toBe("incomplete");
    expect(message?.output_tokens).toBeGreaterThan(0);
    expect(Number(message?.credits)).toBeGreaterThan(0);
    await expectLedgerConsistent(server.db, user.id);
  });
});

describe("session management", () => {
  it("create, rename, search, page and delete (soft: gone from list and get)", async () => {
    const { client } = await chatter();
    const a = await client.sessions.create.mutate({ title: "Alpha plans" });
    const b = await client.sessions.create.mutate({ initialMessage: "How do plants grow in the dark?" });
    expect(b.title).toBe("How do plants grow in the dark?");
    await client.sessions.rename.mutate({ sessionId: a.id, title: "Beta plans" });
    const found = await client.sessions.list.query({ search: "beta" });
    expect(found.items.map((s) => s.id)).toEqual([a.id]);
    const page = await client.sessions.list.query({ page: 1, size: 2 });
    expect(page.total).toBe(3);
    expect(page.items).toHaveLength(2);
    await client.sessions.delete.mutate({ sessionId: a.id });
    expect((await client.sessions.list.query({})).items.map((s) => s.id)).not.toContain(a.id);
    expect((await failureOf(client.sessions.get.query({ sessionId: a.id }))).code).toBe("NOT_FOUND");
  });

  it("sessions.direct streams and meters without storing a session", async () => {
    const { client, user } = await chatter();
    const { turnId } = await client.sessions.direct.mutate({ content: "quick [[fake tokens=6]]" });
    const events = await streamTurn(client, turnId).finished;
    expect(events[0]?.event.type).toBe("started");
    const [done] = eventsOfType(events, "done");
    expect(done?.creditsCharged).toBeGreaterThan(6);
    expect(done?.messageId).toBeNull();
    expect((await client.sessions.list.query({})).items).toHaveLength(1); // only the session chatter() made
    await expectLedgerConsistent(server.db, user.id);
  });
});
