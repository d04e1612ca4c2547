// The typed client (@parley/client) with search, export, sharing and feedback, as a program using
// an API key would call them: the procedures are on the client with their types, a key with the
// "chat" scope opens them, and a shared chat is read by a client with no credentials at all.
import { createParleyClient, type RouterInputs, type RouterOutputs, streamTurn } from "@parley/client";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { startChatTestServer } from "../support/chat.ts";
import type { TestServer } from "../support/server.ts";

let server: TestServer;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ server, close } = await startChatTestServer());
});
afterAll(() => close?.());

describe("@parley/client: search, export, share, feedback", () => {
  it("types the new procedures", () => {
    expectTypeOf<RouterInputs["sessions"]["export"]["format"]>().toEqualTypeOf<"markdown" | "json">();
    expectTypeOf<RouterInputs["feedback"]["rate"]["rating"]>().toEqualTypeOf<"up" | "down">();
    expectTypeOf<RouterOutputs["sessions"]["share"]["url"]>().toEqualTypeOf<string>();
    expectTypeOf<
      RouterOutputs["sessions"]["search"]["items"][number]["titleSegments"][number]
    >().toEqualTypeOf<{ text: string; match: boolean }>();
    expectTypeOf<RouterOutputs["admin"]["feedback"]["list"]["items"][number]["rating"]>().toEqualTypeOf<
      "up" | "down"
    >();
  });

  it("calls them with an API key of the chat scope, and reads a shared chat without credentials", async () => {
    const { user } = await fundedUser(server, 1_000_000);
    const { secret } = await user.client.auth.apiKeys.create.mutate({ name: "social", scopes: ["chat"] });
    const client = createParleyClient({ url: server.url, token: secret });

    const chat = await client.sessions.create.mutate({ title: "Client chat" });
    const { turnId } = await client.sessions.send.mutate({
      sessionId: chat.id,
      content: "Hello typed client",
    });
    await streamTurn(client, turnId);

    const found = await client.sessions.search.query({ query: "typed", page: 1, size: 10 });
    expect(found.items.map((hit) => hit.id)).toEqual([chat.id]);
    const markdown = await client.sessions.export.query({ sessionId: chat.id, format: "markdown" });
    expect(markdown.content).toContain("Hello typed client");

    const { url, shareId } = await client.sessions.share.mutate({ sessionId: chat.id });
    expect(url.endsWith(`/shared/${shareId}`)).toBe(true);
    const anonymous = createParleyClient({ url: server.url });
    const shared = await anonymous.sessions.shared.query({ shareId });
    expect(shared.title).toBe("Client chat");
    expect(shared.createdAt).toBeInstanceOf(Date);
    await client.sessions.unshare.mutate({ sessionId: chat.id });

    const { messages } = await client.sessions.get.query({ sessionId: chat.id });
    const answer = messages.find((m) => m.role === "assistant");
    if (!answer) throw new Error("no stored answer");
    const rated = await client.feedback.rate.mutate({ messageId: answer.id, rating: "up", comment: "Good" });
    expect(rated).toMatchObject({ messageId: answer.id, rating: "up", comment: "Good" });
    expect(await client.feedback.forSession.query({ sessionId: chat.id })).toHaveLength(1);
  });
});

describe("@parley/client: batching", () => {
  it("batches queries made in the same tick; sends each mutation alone", async () => {
    const { user } = await fundedUser(server, 1_000_000);
    const { secret } = await user.client.auth.apiKeys.create.mutate({
      name: "batching",
      scopes: ["chat", "accounting"],
    });
    const requests: string[] = [];
    const client = createParleyClient({
      url: server.url,
      token: secret,
      fetch: (input, init) => {
        requests.push(new URL(String(input instanceof Request ? input.url : input)).pathname);
        return fetch(input, init);
      },
    });
    await Promise.all([
      client.auth.me.query(),
      client.accounting.balance.query(),
      client.sessions.list.query({}),
    ]);
    expect(requests).toEqual(["/trpc/auth.me,accounting.balance,sessions.list"]);
    requests.length = 0;
    await Promise.all([
      client.sessions.create.mutate({ title: "one" }),
      client.sessions.create.mutate({ title: "two" }),
    ]);
    expect(requests).toEqual(["/trpc/sessions.create", "/trpc/sessions.create"]);
  });
});
