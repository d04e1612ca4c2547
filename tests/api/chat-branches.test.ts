// Chats as trees: editing a question and regenerating an answer add versions (siblings), the model
// reads only the active branch, switching versions is persisted, and each version is metered.
// Also: a first message creates its chat only when accepted, and a small balance gets a shorter
// answer (its output capped to what it holds) instead of a refusal.
import type { FakeBedrock } from "@parley/agent/fake-bedrock";
import { fakeText } from "@parley/agent/fake-bedrock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { converse, eventsOfType, startChatTestServer, streamTurn } from "../support/chat.ts";
import { failureOf } from "../support/errors.ts";
import { expectLedgerConsistent } from "../support/ledger.ts";
import type { TestServer } from "../support/server.ts";

const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

let fake: FakeBedrock;
let server: TestServer;
let stack: Awaited<ReturnType<typeof startChatTestServer>>;
beforeAll(async () => {
  stack = await startChatTestServer({
    BEDROCK_MODEL_ARNS: MODEL,
    // One credit per token, in and out, for easy arithmetic.
    MODEL_PRICES: JSON.stringify({ [MODEL]: { inputPer1k: 1000, outputPer1k: 1000 } }),
  });
  ({ server, fake } = stack);
});
afterAll(() => stack?.close());

async function chatter(credits = 100_000) {
  const { user } = await fundedUser(server, credits);
  const session = await user.client.sessions.create.mutate({});
  return { ...user, session };
}

type Client = Awaited<ReturnType<typeof chatter>>["client"];

/** The texts the model received in its last request, in order. */
function lastPrompt(): string[] {
  const body = fake.requests.at(-1)?.body as { messages: { content: { text?: string }[] }[] };
  return body.messages.map((m) => m.content.map((c) => c.text ?? "").join(""));
}

const follow = async (client: Client, started: Promise<{ turnId: string }>) =>
  streamTurn(client, (await started).turnId).finished;

const branchOf = async (client: Client, sessionId: string) =>
  (await client.sessions.get.query({ sessionId })).messages;

describe("edit and regenerate", () => {
  it("edit stores a sibling question, answers it on a new branch the model reads alone", async () => {
    const { client, session } = await chatter();
    await converse(client, { sessionId: session.id, content: "one [[fake tokens=2]]" });
    await converse(client, { sessionId: session.id, content: "two [[fake tokens=3]]" });
    const [q1, , q2, a2] = await branchOf(client, session.id);

    fake.reset();
    const events = await follow(
      client,
      client.sessions.edit.mutate({ messageId: q2?.id ?? "", content: "two, edited [[fake tokens=4]]" }),
    );
    expect(eventsOfType(events, "done")[0]?.status).toBe("complete");
    // The model got the branch above the edited question, then the new version — not the old one.
    expect(lastPrompt()).toEqual(["one [[fake tokens=2]]", fakeText(2), "two, edited [[fake tokens=4]]"]);

    const branch = await branchOf(client, session.id);
    expect(branch.map((m) => m.content)).toEqual([
      "one [[fake tokens=2]]",
      fakeText(2),
      "two, edited [[fake tokens=4]]",
      fakeText(4),
    ]);
    const edited = branch[2];
    expect(edited?.parentId).toBe(q2?.parentId);
    expect(edited?.siblingIds).toEqual([q2?.id, edited?.id]);
    expect(branch[0]).toMatchObject({ id: q1?.id, parentId: null, siblingIds: [q1?.id] });
    expect(branch[3]?.parentId).toBe(edited?.id);

    // Back to the first version: its own answer comes with it, persisted for the next load.
    const switched = await client.sessions.switchBranch.mutate({ messageId: q2?.id ?? "" });
    expect(switched).toEqual({ sessionId: session.id, activeLeafId: a2?.id });
    const detail = await client.sessions.get.query({ sessionId: session.id });
    expect(detail.activeLeafId).toBe(a2?.id);
    expect(detail.messages.map((m) => m.id)).toEqual(
      branch
        .slice(0, 2)
        .map((m) => m.id)
        .concat([q2?.id ?? "", a2?.id ?? ""]),
    );

    // The next message continues the active branch only.
    fake.reset();
    await converse(client, { sessionId: session.id, content: "three [[fake tokens=1]]" });
    expect(lastPrompt()).toEqual([
      "one [[fake tokens=2]]",
      fakeText(2),
      "two [[fake tokens=3]]",
      fakeText(3),
      "three [[fake tokens=1]]",
    ]);
  });

  it("regenerate answers the same question again, as a sibling answer, each version metered", async () => {
    const { client, session, user } = await chatter();
    const first = await converse(client, { sessionId: session.id, content: "hello [[fake tokens=5]]" });
    const [question, answer] = await branchOf(client, session.id);

    fake.reset();
    const again = await follow(client, client.sessions.regenerate.mutate({ messageId: answer?.id ?? "" }));
    expect(lastPrompt()).toEqual(["hello [[fake tokens=5]]"]);
    const branch = await branchOf(client, session.id);
    expect(branch).toHaveLength(2);
    expect(branch[0]?.id).toBe(question?.id); // the question is not stored again
    const regenerated = branch[1];
    expect(regenerated?.id).not.toBe(answer?.id);
    expect(regenerated?.parentId).toBe(question?.id);
    expect(regenerated?.siblingIds).toEqual([answer?.id, regenerated?.id]);

    // Each version has its own charge and usage record.
    const [done1] = eventsOfType(first, "done");
    const [done2] = eventsOfType(again, "done");
    expect(done1?.creditsCharged).toBeGreaterThan(0);
    expect(done2?.creditsCharged).toBe(done1?.creditsCharged);
    expect(regenerated?.credits).toBe(done2?.creditsCharged);
    const usage = await server.db.em
      .fork()
      .getConnection()
      .execute<{ n: string }[]>("select count(*) as n from usage_records where user_id = ?", [user.id]);
    expect(Number(usage[0]?.n)).toBe(2);
    await expectLedgerConsistent(server.db, user.id);
  });

  it("regenerating a question (not an answer) answers it again under it", async () => {
    const { client, session } = await chatter();
    await converse(client, { sessionId: session.id, content: "a [[fake tokens=1]]" });
    const [question] = await branchOf(client, session.id);
    await follow(client, client.sessions.regenerate.mutate({ messageId: question?.id ?? "" }));
    const branch = await branchOf(client, session.id);
    expect(branch.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(branch[1]?.siblingIds).toHaveLength(2);
  });

  it("refuses with typed errors: an answer to edit, another user's message, a deleted chat, a busy chat", async () => {
    const { client, session } = await chatter();
    await converse(client, { sessionId: session.id, content: "x [[fake tokens=1]]" });
    const [question, answer] = await branchOf(client, session.id);

    const editAnswer = await failureOf(
      client.sessions.edit.mutate({ messageId: answer?.id ?? "", content: "no" }),
    );
    expect(editAnswer).toMatchObject({ code: "BAD_REQUEST", detail: { field: "messageId" } });

    const other = await chatter();
    for (const call of [
      () => other.client.sessions.edit.mutate({ messageId: question?.id ?? "", content: "mine?" }),
      () => other.client.sessions.regenerate.mutate({ messageId: answer?.id ?? "" }),
      () => other.client.sessions.switchBranch.mutate({ messageId: question?.id ?? "" }),
    ]) {
      expect(await failureOf(call())).toMatchObject({ code: "NOT_FOUND" });
    }
    const unknown = crypto.randomUUID();
    expect(await failureOf(client.sessions.regenerate.mutate({ messageId: unknown }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await failureOf(client.sessions.edit.mutate({ messageId: "nope", content: "x" }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(
      await failureOf(client.sessions.edit.mutate({ messageId: question?.id ?? "", content: "  " })),
    ).toMatchObject({ code: "BAD_REQUEST", detail: { field: "content" } });

    // Busy: an answer is being written in this chat.
    const running = await client.sessions.send.mutate({
      sessionId: session.id,
      content: "slow [[fake tokens=200 rate=40]]",
    });
    expect(await failureOf(client.sessions.regenerate.mutate({ messageId: answer?.id ?? "" }))).toMatchObject(
      {
        code: "CONFLICT",
      },
    );
    await client.sessions.stop.mutate({ turnId: running.turnId });
    await streamTurn(client, running.turnId).finished;

    await client.sessions.delete.mutate({ sessionId: session.id });
    for (const call of [
      () => client.sessions.edit.mutate({ messageId: question?.id ?? "", content: "after delete" }),
      () => client.sessions.regenerate.mutate({ messageId: answer?.id ?? "" }),
      () => client.sessions.switchBranch.mutate({ messageId: question?.id ?? "" }),
    ]) {
      expect(await failureOf(call())).toMatchObject({ code: "NOT_FOUND" });
    }
  });
});

describe("a first message creates its chat", () => {
  it("send without sessionId creates the chat, titled from the message", async () => {
    const { client } = await chatter();
    const started = await client.sessions.send.mutate({ content: "Plan a picnic [[fake tokens=2]]" });
    expect(started.sessionId).toEqual(expect.any(String));
    await streamTurn(client, started.turnId).finished;
    const detail = await client.sessions.get.query({ sessionId: started.sessionId ?? "" });
    expect(detail.session.title).toBe("Plan a picnic [[fake tokens=2]]");
    expect(detail.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
  });

  it("a refused first message (no credits, too long) leaves no chat behind", async () => {
    const { client } = await chatter(0);
    const before = (await client.sessions.list.query({})).total;
    expect(await failureOf(client.sessions.send.mutate({ content: "hello" }))).toMatchObject({
      code: "PAYMENT_REQUIRED",
    });
    expect(await failureOf(client.sessions.send.mutate({ content: "x".repeat(100_001) }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect((await client.sessions.list.query({})).total).toBe(before);
  });
});

describe("a small balance gets a shorter answer", () => {
  it("holds what the balance affords, caps the model's output to it, and charges within the hold", async () => {
    const { client, session, user } = await chatter(3_000);
    const config = await client.sessions.config.query();
    expect(config.minAnswerTokens).toBeGreaterThan(0);
    fake.reset();
    const events = await converse(client, { sessionId: session.id, content: "hi [[fake tokens=5000]]" });
    const [started] = eventsOfType(events, "started");
    expect(started?.held).toBeLessThanOrEqual(3_000);
    expect(started?.outputCap).toBeGreaterThanOrEqual(config.minAnswerTokens);
    expect(started?.outputCap).toBeLessThan(3_000);
    const body = fake.requests.at(-1)?.body as { inferenceConfig?: { maxTokens?: number } };
    expect(body.inferenceConfig?.maxTokens).toBe(started?.outputCap);
    const [done] = eventsOfType(events, "done");
    expect(done?.creditsCharged).toBeLessThanOrEqual(started?.held ?? 0);
    await expectLedgerConsistent(server.db, user.id);
  });

  it("a balance below the floor is refused as before; a full balance holds the full output", async () => {
    const poor = await chatter(100);
    expect(
      await failureOf(poor.client.sessions.send.mutate({ sessionId: poor.session.id, content: "hi" })),
    ).toMatchObject({ code: "PAYMENT_REQUIRED" });
    const rich = await chatter();
    const events = await converse(rich.client, {
      sessionId: rich.session.id,
      content: "hi [[fake tokens=1]]",
    });
    expect(eventsOfType(events, "started")[0]?.outputCap).toBeNull();
  });
});
