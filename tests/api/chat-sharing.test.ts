// Export (Markdown and JSON) and read-only share links: anonymous reads over tRPC and
// GET /api/shared/:shareId, nothing private in them, no credits spent, revocation at once on
// every server.
import { formatDirective } from "@parley/agent/fake-bedrock";
import type { ParleyClient } from "@parley/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { converse, startChatTestServer } from "../support/chat.ts";
import { failureOf } from "../support/errors.ts";
import { rest } from "../support/rest.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp } from "../support/users.ts";

let server: TestServer;
let stack: Awaited<ReturnType<typeof startChatTestServer>>;
beforeAll(async () => {
  stack = await startChatTestServer();
  server = stack.server;
});
afterAll(() => stack?.close());

async function chatter() {
  const { user } = await fundedUser(server, 1_000_000);
  const session = await user.client.sessions.create.mutate({ title: "Trip to Lisbon" });
  await converse(user.client, {
    sessionId: session.id,
    content: `Where should I go? ${formatDirective({ text: "Go to **Lisbon** in spring." })}`,
  });
  return { ...user, sessionId: session.id };
}

const ledgerRows = async () => {
  const [row] = await server.db.em
    .fork()
    .getConnection()
    .execute<{ n: string }[]>("select count(*) as n from ledger_entries");
  return Number(row?.n);
};

describe("sessions.export", () => {
  it("writes readable Markdown: the title, each role with its time, the text", async () => {
    const { client, sessionId } = await chatter();
    const file = await client.sessions.export.query({ sessionId, format: "markdown" });
    expect(file.filename).toBe("trip-to-lisbon.md");
    expect(file.mimeType).toBe("text/markdown");
    expect(file.content.startsWith("# Trip to Lisbon\n")).toBe(true);
    expect(file.content).toMatch(/^## User · \d{4}-\d\d-\d\d \d\d:\d\d UTC$/m);
    expect(file.content).toMatch(/^## Assistant \(.+\) · \d{4}-\d\d-\d\d \d\d:\d\d UTC$/m);
    expect(file.content).toContain("Go to **Lisbon** in spring.");
    expect(file.content.indexOf("## User")).toBeLessThan(file.content.indexOf("## Assistant"));
  });

  it("writes complete, stable JSON: every message with its tokens and credits, in a fixed shape", async () => {
    const { client, sessionId } = await chatter();
    const first = await client.sessions.export.query({ sessionId, format: "json" });
    const second = await client.sessions.export.query({ sessionId, format: "json" });
    expect(first.filename).toBe("trip-to-lisbon.json");
    expect(first.mimeType).toBe("application/json");
    const doc = JSON.parse(first.content);
    expect(Object.keys(doc)).toEqual(["format", "version", "exportedAt", "session", "messages"]);
    expect(doc).toMatchObject({
      format: "parley.chat",
      version: 1,
      session: { id: sessionId, title: "Trip to Lisbon" },
    });
    expect(doc.messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant"]);
    expect(Object.keys(doc.messages[1])).toEqual([
      "id",
      "parentId",
      "role",
      "content",
      "status",
      "modelId",
      "toolCalls",
      "inputTokens",
      "outputTokens",
      "credits",
      "error",
      "attachments",
      "createdAt",
    ]);
    expect(doc.messages[1].content).toBe("Go to **Lisbon** in spring.");
    expect(doc.messages[1].credits).toBeGreaterThan(0);
    const withoutTime = (text: string) => ({ ...JSON.parse(text), exportedAt: null });
    expect(withoutTime(second.content)).toEqual(withoutTime(first.content));
  });

  it("is private to the owner and refuses unknown formats", async () => {
    const { sessionId } = await chatter();
    const stranger = await signUp(server);
    const refused = await failureOf(stranger.client.sessions.export.query({ sessionId, format: "markdown" }));
    expect(refused.code).toBe("NOT_FOUND");
    const bad = await failureOf(
      stranger.client.sessions.export.query({ sessionId, format: "pdf" as "markdown" }),
    );
    expect(bad.code).toBe("BAD_REQUEST");
  });
});

describe("share links", () => {
  it("gives an unguessable link, the same while shared, readable by anyone without spending credits", async () => {
    const { client, sessionId, input, user } = await chatter();
    const { url, shareId } = await client.sessions.share.mutate({ sessionId });
    expect(shareId).toMatch(/^[A-Za-z0-9_-]{32}$/); // 192 random bits
    expect(new URL(url).pathname).toBe(`/shared/${shareId}`);
    expect((await client.sessions.share.mutate({ sessionId })).url).toBe(url);

    const balanceBefore = await client.accounting.balance.query();
    const ledgerBefore = await ledgerRows();

    const anonymous: ParleyClient = server.client();
    const viaTrpc = await anonymous.sessions.shared.query({ shareId });
    expect(viaTrpc.title).toBe("Trip to Lisbon");
    expect(viaTrpc.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(viaTrpc.messages[1]?.content).toBe("Go to **Lisbon** in spring.");

    const viaRest = await rest<Record<string, unknown>>(server, "GET", `/api/shared/${shareId}`);
    expect(viaRest.status).toBe(200);
    expect(viaRest.headers.get("cache-control")).toBe("no-store");
    expect(viaRest.body).toMatchObject({ title: "Trip to Lisbon" });
    const text = JSON.stringify(viaRest.body);
    for (const secret of [input.email, user.id, sessionId, "credits", "inputTokens", "outputTokens"]) {
      expect(text).not.toContain(secret);
    }

    expect(await ledgerRows()).toBe(ledgerBefore);
    expect(await client.accounting.balance.query()).toEqual(balanceBefore);
  });

  it("stops working at once when revoked, on every server, and a new share is a new link", async () => {
    const { client, sessionId } = await chatter();
    const other = await startTestServer({ env: { DATABASE_URL: server.db.config.get("clientUrl") ?? "" } });
    try {
      const { shareId } = await client.sessions.share.mutate({ sessionId });
      expect((await rest(other, "GET", `/api/shared/${shareId}`)).status).toBe(200);

      await client.sessions.unshare.mutate({ sessionId });
      for (const target of [server, other]) {
        const gone = await rest<{ error: { code: string } }>(target, "GET", `/api/shared/${shareId}`);
        expect(gone.status).toBe(404);
        expect(gone.body.error.code).toBe("NOT_FOUND");
        expect((await failureOf(target.client().sessions.shared.query({ shareId }))).code).toBe("NOT_FOUND");
      }

      const again = await client.sessions.share.mutate({ sessionId });
      expect(again.shareId).not.toBe(shareId);
      expect((await rest(other, "GET", `/api/shared/${again.shareId}`)).status).toBe(200);
      expect((await rest(other, "GET", `/api/shared/${shareId}`)).status).toBe(404);
    } finally {
      await other.close();
    }
  });

  it("dies with the chat, answers NOT_FOUND to made-up ids, and only the owner shares or unshares", async () => {
    const { client, sessionId } = await chatter();
    const stranger = await signUp(server);
    expect((await failureOf(stranger.client.sessions.share.mutate({ sessionId }))).code).toBe("NOT_FOUND");
    const { shareId } = await client.sessions.share.mutate({ sessionId });
    expect((await failureOf(stranger.client.sessions.unshare.mutate({ sessionId }))).code).toBe("NOT_FOUND");
    expect((await rest(server, "GET", `/api/shared/${shareId}`)).status).toBe(200);

    await client.sessions.delete.mutate({ sessionId });
    expect((await rest(server, "GET", `/api/shared/${shareId}`)).status).toBe(404);
    expect((await rest(server, "GET", `/api/shared/${"A".repeat(32)}`)).status).toBe(404);
    expect((await rest(server, "GET", "/api/shared/not-an-id")).status).toBe(404);
    expect((await rest(server, "GET", `/api/shared/${"x".repeat(65)}`)).status).toBe(400);
  });
});
