// sessions.sendAndStream: the message and its answer in one exchange (a POST answered with the
// turn's server-sent events), through the typed client's sendTurn and on the raw wire.
import { SESSION_COOKIE_NAME } from "@parley/auth";
import { createParleyClient, isParleyError, sendTurn, type TurnEvent } from "@parley/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { startChatTestServer } from "../support/chat.ts";
import { type SseEvent, sseEvent } from "../support/procedures.ts";
import type { TestServer } from "../support/server.ts";

let server: TestServer;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ server, close } = await startChatTestServer());
});
afterAll(() => close?.());

async function chatter(credits = 1_000_000) {
  const { user } = await fundedUser(server, credits);
  const chat = await user.client.sessions.create.mutate({});
  return { client: user.client, token: user.token, chat };
}

/** POSTs `sessions.sendAndStream` and reads its events: all of them, or the first `upTo`. */
async function rawSendAndStream(
  body: unknown,
  headers: Record<string, string>,
  upTo = Number.POSITIVE_INFINITY,
): Promise<{ status: number; events: SseEvent[] }> {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/trpc/sessions.sendAndStream`, {
    method: "POST",
    headers: { accept: "text/event-stream", "content-type": "application/json", ...headers },
    body: JSON.stringify({ json: body }),
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  if (!response.body) return { status: response.status, events };
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    while (events.length < upTo) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      const blocks = buffer.split("\n\n");
      buffer = blocks.pop() ?? "";
      for (const block of blocks) {
        if (block.trim() === "") continue;
        events.push(sseEvent(block));
      }
    }
  } finally {
    // Drops the connection, as a network would, when reading stopped early.
    controller.abort();
  }
  return { status: response.status, events: events.slice(0, upTo) };
}

const chatEventOf = (e: SseEvent) => (JSON.parse(e.data ?? "") as { json: TurnEvent }).json;

describe("sessions.sendAndStream", () => {
  it("sends and follows an answer in one HTTP exchange: started (with the ids) first, then done", async () => {
    const { token, chat } = await chatter();
    const requests: string[] = [];
    const client = createParleyClient({
      url: server.url,
      token,
      fetch: (input, init) => {
        requests.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`);
        return fetch(input, init);
      },
    });
    const seen: TurnEvent[] = [];
    let text = "";
    const done = await sendTurn(
      client,
      { sessionId: chat.id, content: "Hello in one go [[fake tokens=20]]" },
      { onEvent: (event) => seen.push(event), onToken: (token) => (text += token) },
    );
    expect(requests).toEqual(["POST /trpc/sessions.sendAndStream"]);
    expect(done.status).toBe("complete");
    expect(done.content).toBe(text);
    const started = seen[0];
    if (started?.type !== "started") throw new Error(`first event: ${started?.type}`);
    expect(started.sessionId).toBe(chat.id);

    const stored = await client.sessions.get.query({ sessionId: chat.id });
    expect(stored.messages.map((m) => [m.id, m.role])).toEqual([
      [started.userMessageId, "user"],
      [done.messageId, "assistant"],
    ]);
  });

  it("starts a new chat without sessionId, and carries a 100,000-character message in the body", async () => {
    const { client } = await chatter();
    const content = `${"x".repeat(99_980)} [[fake tokens=5]]`.padEnd(100_000, "y");
    const seen: TurnEvent[] = [];
    const done = await sendTurn(client, { content }, { onEvent: (event) => seen.push(event) });
    expect(done.status).toBe("complete");
    const started = seen[0];
    if (started?.type !== "started" || !started.sessionId) throw new Error("no new chat in started");
    const stored = await client.sessions.get.query({ sessionId: started.sessionId });
    expect(stored.messages[0]?.content).toHaveLength(100_000);
  });

  it("resumes a dropped connection: the same request with the last event id, one message, one charge", async () => {
    const { client, token, chat } = await chatter();
    const before = await client.accounting.balance.query();
    const request = {
      sessionId: chat.id,
      content: "A long answer [[fake tokens=40 rate=200]]",
      clientRequestId: crypto.randomUUID(),
    };
    const auth = { authorization: `Bearer ${token}` };
    // connected, started, and two tokens; then the connection drops.
    const first = await rawSendAndStream(request, auth, 4);
    const lastSeen = first.events.at(-1)?.id;
    expect(first.events.map((e) => e.event)).toEqual(["connected", "message", "message", "message"]);
    expect(lastSeen).toBe("3");

    const rest = await rawSendAndStream(request, { ...auth, "last-event-id": lastSeen ?? "" });
    const tracked = rest.events.filter((e) => e.id !== undefined);
    expect(tracked[0]?.id).toBe("4");
    expect(tracked.map((e) => Number(e.id))).toEqual(tracked.map((_, i) => i + 4));
    const done = chatEventOf(tracked.at(-1) as SseEvent);
    if (done.type !== "done") throw new Error(`last event: ${done.type}`);
    const tokens = [...first.events.slice(2), ...tracked]
      .map(chatEventOf)
      .flatMap((e) => (e.type === "token" ? [e.text] : []));
    expect(tokens.join("")).toBe(done.content);

    const stored = await client.sessions.get.query({ sessionId: chat.id });
    expect(stored.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    const after = await client.accounting.balance.query();
    expect(before.balance - after.balance).toBe(done.creditsCharged);
  });

  it("the typed client reconnects by itself: the same POST with the last id, no token twice", async () => {
    const { token, chat } = await chatter();
    const attempts: {
      method: string;
      lastEventId: string | null;
      body: { json: { clientRequestId: string } };
    }[] = [];
    const client = createParleyClient({
      url: server.url,
      token,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (!String(input).includes("sendAndStream")) return response;
        attempts.push({
          method: init?.method ?? "GET",
          // The EventSource's own reconnection names the last event it saw in a header.
          lastEventId: new Headers(init?.headers).get("last-event-id"),
          body: JSON.parse(String(init?.body)),
        });
        return attempts.length === 1 ? droppedAfter(response, 3) : response;
      },
    });
    let text = "";
    const done = await sendTurn(
      client,
      { sessionId: chat.id, content: "Keep going [[fake tokens=30 rate=100]]" },
      { onToken: (token) => (text += token) },
    );
    expect(attempts.map((a) => a.method)).toEqual(["POST", "POST"]);
    const [first, second] = attempts;
    expect(second?.body.json.clientRequestId).toBe(first?.body.json.clientRequestId);
    expect(first?.lastEventId).toBeNull();
    expect(second?.lastEventId).toMatch(/^\d+$/);
    expect(text).toBe(done.content);
    const stored = await client.sessions.get.query({ sessionId: chat.id });
    expect(stored.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
  });

  it("refuses before the first event with send's typed error, storing nothing", async () => {
    const { client, chat } = await chatter(0);
    const error = await sendTurn(client, { sessionId: chat.id, content: "No credits" }).catch((e) => e);
    expect(isParleyError(error, "PAYMENT_REQUIRED")).toBe(true);
    expect((await client.sessions.get.query({ sessionId: chat.id })).messages).toEqual([]);
  });

  it("never runs on a GET (405), nor from a foreign origin with the session cookie", async () => {
    const { client, token, chat } = await chatter();
    const input = { sessionId: chat.id, content: "Linked", clientRequestId: crypto.randomUUID() };
    const query = encodeURIComponent(JSON.stringify({ json: input }));
    const get = await fetch(`${server.url}/trpc/sessions.sendAndStream?input=${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(get.status).toBe(405);
    expect(((await get.json()) as { error: { json: { data: { code: string } } } }).error.json.data.code).toBe(
      "METHOD_NOT_SUPPORTED",
    );

    const foreign = await rawSendAndStream(input, {
      cookie: `${SESSION_COOKIE_NAME}=${token}`,
      origin: "https://evil.example",
    });
    expect(foreign.events.map((e) => e.event)).toEqual(["connected", "serialized-error"]);
    expect(foreign.events[1]?.data).toContain("FORBIDDEN");
    expect((await client.sessions.get.query({ sessionId: chat.id })).messages).toEqual([]);
  });
});

/** The response, its body failing after `chunks` reads: a connection lost mid-answer. */
function droppedAfter(response: Response, chunks: number): Response {
  const body = response.body;
  if (!body) return response;
  const reader = body.getReader();
  let read = 0;
  const broken = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) return controller.close();
      controller.enqueue(value);
      if (++read === chunks) {
        controller.error(new TypeError("network connection lost"));
        await reader.cancel();
      }
    },
  });
  return new Response(broken, { status: response.status, headers: response.headers });
}
