// sessions.search: PostgreSQL full-text search over the caller's chat titles and message text,
// ranked, paged, with highlighted snippets as segments; and plain-text previews in sessions.list.
import { formatDirective } from "@parley/agent/fake-bedrock";
import type { ParleyClient } from "@parley/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { converse, startChatTestServer } from "../support/chat.ts";
import { failureOf } from "../support/errors.ts";
import type { TestServer } from "../support/server.ts";

let server: TestServer;
let stack: Awaited<ReturnType<typeof startChatTestServer>>;
beforeAll(async () => {
  stack = await startChatTestServer();
  server = stack.server;
});
afterAll(() => stack?.close());

async function funded() {
  const { user } = await fundedUser(server, 1_000_000);
  return user;
}

/** A chat with one question and an answer of exactly `answer`. */
async function chatWith(client: ParleyClient, question: string, answer: string, title?: string) {
  const session = await client.sessions.create.mutate(title ? { title } : {});
  await converse(client, {
    sessionId: session.id,
    content: `${question} ${formatDirective({ text: answer })}`,
  });
  return session.id;
}

const matchedText = (segments: { text: string; match: boolean }[]) =>
  segments.filter((s) => s.match).map((s) => s.text);

describe("sessions.search", () => {
  it("finds message bodies, not only titles, ranks title matches and denser matches first, and highlights", async () => {
    const { client } = await funded();
    const once = await chatWith(client, "Where should I travel?", "Perhaps Lisbon, in the spring.", "Travel");
    const often = await chatWith(
      client,
      "Tell me about Lisbon",
      "Lisbon has trams. Lisbon has hills. Lisbon has custard tarts.",
      "City facts",
    );
    const titled = await chatWith(client, "Plan a weekend", "Walk and eat.", "Lisbon weekend");
    await chatWith(client, "Anything else?", "Porto is also nice.", "Unrelated");

    const result = await client.sessions.search.query({ query: "lisbon" });
    expect(result.items.map((hit) => hit.id)).toEqual([titled, often, once]);
    expect(result).toMatchObject({ total: 3, page: 1, pages: 1 });

    const [titleHit, denseHit] = result.items;
    expect(matchedText(titleHit?.titleSegments ?? [])).toEqual(["Lisbon"]);
    expect(titleHit?.titleSegments.map((s) => s.text).join("")).toBe("Lisbon weekend");
    expect(titleHit?.snippet).toBeNull();
    // The body match: the best message, with every occurrence marked, original case kept.
    expect(denseHit?.snippet?.role).toBe("assistant");
    expect(matchedText(denseHit?.snippet?.segments ?? [])).toEqual(["Lisbon", "Lisbon", "Lisbon"]);
    expect(denseHit?.snippet?.segments.map((s) => s.text).join("")).toContain("has trams");
  });

  it("understands web-search syntax: phrases and exclusions", async () => {
    const { client } = await funded();
    const phrase = await chatWith(client, "q", "The quick brown fox jumps.", "A");
    await chatWith(client, "q", "The brown quick fox sleeps.", "B");
    const phraseHits = await client.sessions.search.query({ query: '"quick brown"' });
    expect(phraseHits.items.map((h) => h.id)).toEqual([phrase]);
    const excluded = await client.sessions.search.query({ query: "fox -sleeps" });
    expect(excluded.items.map((h) => h.id)).toEqual([phrase]);
  });

  it("returns snippets as plain text: Markdown stripped, and marker characters in the text cannot forge a highlight", async () => {
    const { client } = await funded();
    await chatWith(
      client,
      "q",
      "Visit **Porto** and `\u0002evil\u0003` see [the river](https://example.com).",
      "T",
    );
    const [hit] = (await client.sessions.search.query({ query: "porto" })).items;
    const segments = hit?.snippet?.segments ?? [];
    expect(matchedText(segments)).toEqual(["Porto"]);
    const text = segments.map((s) => s.text).join("");
    for (const forbidden of ["*", "`", "[", "](", "\u0002", "\u0003"]) expect(text).not.toContain(forbidden);
    expect(text).toContain("the river");
  });

  it("pages like other lists, with disjoint pages", async () => {
    const { client } = await funded();
    for (let i = 0; i < 5; i++) await chatWith(client, `zebra question ${i}`, "Stripes.", `Chat ${i}`);
    const first = await client.sessions.search.query({ query: "zebra", page: 1, size: 2 });
    const second = await client.sessions.search.query({ query: "zebra", page: 2, size: 2 });
    const third = await client.sessions.search.query({ query: "zebra", page: 3, size: 2 });
    expect(first).toMatchObject({ total: 5, pages: 3, size: 2, page: 1 });
    const ids = [...first.items, ...second.items, ...third.items].map((h) => h.id);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expect((await client.sessions.search.query({ query: "zebra", page: 4, size: 2 })).items).toEqual([]);
  });

  it("searches only the caller's live chats", async () => {
    const alice = await funded();
    const bob = await funded();
    const alices = await chatWith(alice.client, "q", "The secret word is xylophone.", "Mine");
    const deleted = await chatWith(alice.client, "q", "Another xylophone here.", "Gone");
    await alice.client.sessions.delete.mutate({ sessionId: deleted });
    await chatWith(bob.client, "q", "Bob's xylophone.", "Bob");

    const hits = await alice.client.sessions.search.query({ query: "xylophone" });
    expect(hits.items.map((h) => h.id)).toEqual([alices]);
    const bobs = await bob.client.sessions.search.query({ query: "xylophone" });
    expect(bobs.items.map((h) => h.id)).not.toContain(alices);
    expect(bobs.total).toBe(1);
  });

  it("refuses an empty query and finds nothing for punctuation alone", async () => {
    const { client } = await funded();
    expect((await failureOf(client.sessions.search.query({ query: "   " }))).code).toBe("BAD_REQUEST");
    expect((await failureOf(client.sessions.search.query({ query: "x".repeat(201) }))).code).toBe(
      "BAD_REQUEST",
    );
    expect(await client.sessions.search.query({ query: "!!! ???" })).toMatchObject({ items: [], total: 0 });
  });
});

describe("sidebar previews", () => {
  it("sessions.list and sessions.get give the last message as plain text, Markdown stripped", async () => {
    const { client } = await funded();
    const sessionId = await chatWith(
      client,
      "Format this",
      "# Heading\n\nSome **bold** text, a [link](https://example.com) and\n\n```js\nconst x = 1;\n```",
    );
    const [item] = (await client.sessions.list.query({})).items;
    expect(item?.lastMessagePreview).toBe("Heading Some bold text, a link and const x = 1;");
    const { session } = await client.sessions.get.query({ sessionId });
    expect(session.lastMessagePreview).toBe(item?.lastMessagePreview);
  });
});
