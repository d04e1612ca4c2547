import { isParleyError, streamTurn, type TurnEvent } from "@parley/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { startChatTestServer } from "../support/chat.ts";
import { sseEvent } from "../support/procedures.ts";
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
  return { client: user.client, token: user.token, chat };
}

/** The raw server-sent events of `sessions.stream`, read to the end of the stream. */
async function rawStream(token: string, turnId: string, headers: Record<string, string> = {}) {
  const input = encodeURIComponent(JSON.stringify({ json: { turnId } }));
  const response = await fetch(`${server.url}/trpc/sessions.stream?input=${input}`, {
    headers: { accept: "text/event-stream", authorization: `Bearer ${token}`, ...headers },
  });
  const blocks = (await response.text()).split("\n\n").filter((block) => block.trim() !== "");
  return blocks.map(sseEvent);
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

  it("is tRPC's SSE on the wire: connected, an id on every event, return; Last-Event-ID resumes", async () => {
    const { client, token, chat } = await chatter();
    const { turnId } = await client.sessions.send.mutate({ sessionId: chat.id, content: "Hello wire" });
    const events = await rawStream(token, turnId);
    expect(events[0]).toEqual({
      event: "connected",
      data: JSON.stringify({ reconnectAfterInactivityMs: 20_000 }),
      id: undefined,
    });
    expect(events.at(-1)).toEqual({ event: "return", data: "", id: undefined });
    const tracked = events.slice(1, -1);
    expect(tracked.map((e) => e.id)).toEqual(tracked.map((_, i) => String(i + 1)));
    const types = tracked.map((e) => (JSON.parse(e.data ?? "") as { json: { type: string } }).json.type);
    expect(types[0]).toBe("started");
    expect(types.at(-1)).toBe("done");

    // An EventSource reconnecting sends the last id it saw as a header.
    const resumed = await rawStream(token, turnId, { "last-event-id": "2" });
    expect(resumed.slice(1, -1)).toEqual(tracked.slice(2));
  });

  it("refuses on the stream itself, as tRPC does: a serialized UNAUTHORIZED error after connected", async () => {
    const events = await rawStream("not-a-session", crypto.randomUUID());
    expect(events.map((e) => e.event)).toEqual(["connected", "serialized-error"]);
    const error = JSON.parse(events[1]?.data ?? "") as { json: { data: { code: string } } };
    expect(error.json.data.code).toBe("UNAUTHORIZED");
  });
});
