// feedback.rate / feedback.forSession (thumbs on the caller's own answers) and admin.feedback.list.
import { formatDirective } from "@parley/agent/fake-bedrock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { converse, startChatTestServer } from "../support/chat.ts";
import { failureOf } from "../support/errors.ts";
import type { TestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

let server: TestServer;
let stack: Awaited<ReturnType<typeof startChatTestServer>>;
let admin: Awaited<ReturnType<typeof signUpAs>>;
beforeAll(async () => {
  stack = await startChatTestServer();
  server = stack.server;
  admin = await signUpAs(server, "admin");
});
afterAll(() => stack?.close());

/** A user with a chat of one question and its answer. */
async function answered(answer = "A helpful answer.") {
  const user = await signUp(server);
  await admin.client.admin.credits.allocate.mutate({ userId: user.user.id, credits: 1_000_000 });
  const session = await user.client.sessions.create.mutate({ title: "Rated chat" });
  await converse(user.client, {
    sessionId: session.id,
    content: `The question ${formatDirective({ text: answer })}`,
  });
  const { messages } = await user.client.sessions.get.query({ sessionId: session.id });
  const question = messages.find((m) => m.role === "user");
  const reply = messages.find((m) => m.role === "assistant");
  if (!question || !reply) throw new Error("the chat was not stored");
  return {
    ...user,
    sessionId: session.id,
    questionId: question.id,
    answerId: reply.id,
    model: reply.modelId,
  };
}

describe("feedback.rate", () => {
  it("rates an answer once per user: re-rating replaces the rating and the comment", async () => {
    const { client, sessionId, answerId } = await answered();
    const first = await client.feedback.rate.mutate({
      messageId: answerId,
      rating: "up",
      comment: "  Spot on  ",
    });
    expect(first).toMatchObject({ messageId: answerId, rating: "up", comment: "Spot on" });
    const second = await client.feedback.rate.mutate({ messageId: answerId, rating: "down" });
    expect(second).toMatchObject({ rating: "down", comment: null });

    expect(await client.feedback.forSession.query({ sessionId })).toEqual([
      expect.objectContaining({ messageId: answerId, rating: "down", comment: null }),
    ]);
    const [rows] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ n: string }[]>("select count(*) as n from message_feedback where message_id = ?", [
        answerId,
      ]);
    expect(Number(rows?.n)).toBe(1);
  });

  it("rates only the caller's own answers: questions are refused, others' messages do not exist", async () => {
    const { client, questionId, answerId, sessionId } = await answered();
    const stranger = await signUp(server);
    expect((await failureOf(client.feedback.rate.mutate({ messageId: questionId, rating: "up" }))).code).toBe(
      "BAD_REQUEST",
    );
    expect(
      (await failureOf(stranger.client.feedback.rate.mutate({ messageId: answerId, rating: "up" }))).code,
    ).toBe("NOT_FOUND");
    expect((await failureOf(stranger.client.feedback.forSession.query({ sessionId }))).code).toBe(
      "NOT_FOUND",
    );
    expect(
      (await failureOf(client.feedback.rate.mutate({ messageId: crypto.randomUUID(), rating: "up" }))).code,
    ).toBe("NOT_FOUND");
    await client.sessions.delete.mutate({ sessionId });
    expect((await failureOf(client.feedback.rate.mutate({ messageId: answerId, rating: "up" }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("limits the comment and the rating", async () => {
    const { client, answerId } = await answered();
    const long = await failureOf(
      client.feedback.rate.mutate({ messageId: answerId, rating: "up", comment: "x".repeat(1001) }),
    );
    expect(long.code).toBe("BAD_REQUEST");
    expect(long.message).toContain("at most 1000 characters");
    const sideways = await failureOf(
      client.feedback.rate.mutate({ messageId: answerId, rating: "sideways" as "up" }),
    );
    expect(sideways.code).toBe("BAD_REQUEST");
    await client.feedback.rate.mutate({ messageId: answerId, rating: "up", comment: "x".repeat(1000) });
  });
});

describe("admin.feedback.list", () => {
  it("lists ratings newest first with the model, the chat, the user and the rated exchange, filtered and paged", async () => {
    const alice = await answered("Answer for **Alice**.");
    const bob = await answered("Answer for Bob.");
    await alice.client.feedback.rate.mutate({
      messageId: alice.answerId,
      rating: "down",
      comment: "Too short",
    });
    await bob.client.feedback.rate.mutate({ messageId: bob.answerId, rating: "up" });

    const page = await admin.client.admin.feedback.list.query({ size: 2 });
    expect(page.items.map((item) => item.messageId)).toEqual([bob.answerId, alice.answerId]);
    const aliceItem = page.items[1];
    expect(aliceItem).toMatchObject({
      rating: "down",
      comment: "Too short",
      modelId: alice.model,
      answerExcerpt: "Answer for Alice.",
      session: { id: alice.sessionId, title: "Rated chat" },
      user: { id: alice.user.id, email: alice.input.email },
    });
    expect(aliceItem?.questionExcerpt).toContain("The question");

    const downs = await admin.client.admin.feedback.list.query({ rating: "down", userId: alice.user.id });
    expect(downs.items.map((item) => item.messageId)).toEqual([alice.answerId]);
    const commented = await admin.client.admin.feedback.list.query({
      withComment: true,
      userId: bob.user.id,
    });
    expect(commented.total).toBe(0);
    const second = await admin.client.admin.feedback.list.query({ size: 1, page: 2 });
    expect(second.items.map((item) => item.messageId)).toEqual([alice.answerId]);
    expect(second.total).toBeGreaterThanOrEqual(2);

    const supervisor = await signUpAs(server, "supervisor");
    expect((await failureOf(supervisor.client.admin.feedback.list.query({}))).code).toBe("FORBIDDEN");
  });
});
