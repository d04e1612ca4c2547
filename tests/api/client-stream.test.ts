import { isParleyError, streamTurn, type TurnEvent } from "@parley/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { startChatTestServer } from "../support/chat.ts";
import type { TestServer } from "../support/server.ts";

let server: TestServer;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ server, close } = await startChatTestServer());
});
afterAll(() => close?.());

async function chatter() {
  const { user } = await fundedUser(server, 1_000_000);
  const chat = await user.client.sessions.create.mutate({});
  return { client: user.client, chat };
}

describe("streamTurn (the client's chat stream helper)", () => {
  it("follows an answer to its done event, token by token", async () => {
    const { client, chat } = await chatter();
    const { turnId } = await client.sessions.send.mutate({ sessionId: chat.id, content: "Hello" });
    const seen: { id: string; event: TurnEvent }[] = [];
    let text = "";
    const done = await streamTurn(client, turnId, {
      onEvent: (event, id) => seen.push({ id, event }),
      onToken: (token) => (text += token),
    });
    expect(done.status).toBe("complete");
    expect(done.content).toBe(text);
    expect(text.length).toBeGreaterThan(0);
    expect(seen[0]?.event.type).toBe("started");
    expect(seen.at(-1)?.event).toEqual(done);
  });

  it("resumes after a given event id, without repeating what was seen", async () => {
    const { client, chat } = await chatter();
    const { turnId } = await client.sessions.send.mutate({ sessionId: chat.id, content: "Tell me more" });
    const first: { id: string; event: TurnEvent }[] = [];
    const done = await streamTurn(client, turnId, { onEvent: (event, id) => first.push({ id, event }) });
    const cut = Math.floor(first.length / 2);
    const lastSeen = first[cut - 1];
    if (!lastSeen) throw new Error("too few events to resume in the middle");

    const rest: { id: string; event: TurnEvent }[] = [];
    const again = await streamTurn(client, turnId, {
      lastEventId: lastSeen.id,
      onEvent: (event, id) => rest.push({ id, event }),
    });
    expect(again).toEqual(done);
    expect(rest).toEqual(first.slice(cut));
  });

  it("rejects with a typed error when the turn cannot be followed", async () => {
    const { client } = await chatter();
    const error = await streamTurn(client, crypto.randomUUID()).catch((e: unknown) => e);
    expect(isParleyError(error, "NOT_FOUND")).toBe(true);
  });

  it("stops following when its signal aborts", async () => {
    const { client, chat } = await chatter();
    const { turnId } = await client.sessions.send.mutate({ sessionId: chat.id, content: "Hello again" });
    const controller = new AbortController();
    const following = streamTurn(client, turnId, { signal: controller.signal });
    controller.abort(new Error("enough"));
    await expect(following).rejects.toThrow("enough");
  });
});
