// Files and images on chat messages: upload (POST /api/attachments), read back, send with
// sessions.send({ attachmentIds }) to the fake Bedrock as image/document blocks, charged by usage.
import { Attachments } from "@parley/agent";
import { ParleyUploadError, uploadAttachment } from "@parley/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { converse, eventsOfType, startChatTestServer } from "../support/chat.ts";
import { failureOf } from "../support/errors.ts";
import { docx, gif1x1, jpeg1x1, pdf, png, webp1x1 } from "../support/files.ts";
import type { TestServer } from "../support/server.ts";
import { signUp } from "../support/users.ts";

const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
/** Not in the catalog: offered as text only. */
const TEXT_ONLY_MODEL = "acme.text-only-v1";
const MAX_BYTES = 200_000;

let server: TestServer;
let stack: Awaited<ReturnType<typeof startChatTestServer>>;
beforeAll(async () => {
  stack = await startChatTestServer({
    BEDROCK_MODEL_ARNS: `${MODEL},${TEXT_ONLY_MODEL}`,
    // One credit per token, in and out, for easy arithmetic.
    MODEL_PRICES: JSON.stringify({
      [MODEL]: { inputPer1k: 1000, outputPer1k: 1000 },
      [TEXT_ONLY_MODEL]: { inputPer1k: 1000, outputPer1k: 1000 },
    }),
    ATTACHMENT_MAX_BYTES: String(MAX_BYTES),
    ATTACHMENTS_MAX_PER_MESSAGE: "3",
    ALLOWED_ORIGINS: "https://app.partner.example",
  });
  ({ server } = stack);
});
afterAll(() => stack?.close());

async function chatter(credits = 100_000) {
  const { user } = await fundedUser(server, credits);
  const session = await user.client.sessions.create.mutate({});
  return { ...user, session };
}

function upload(bytes: Uint8Array | string, name: string, headers: Record<string, string>, type = "") {
  const form = new FormData();
  form.append("file", new Blob([bytes], { type }), name);
  return fetch(`${server.url}/api/attachments`, { method: "POST", body: form, headers });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function uploaded(token: string, bytes: Uint8Array | string, name: string, type = "") {
  const response = await upload(bytes, name, bearer(token), type);
  expect(response.status).toBe(201);
  return (await response.json()) as {
    attachmentId: string;
    format: string;
    kind: string;
    width: number | null;
  };
}

async function errorOf(response: Response) {
  return {
    status: response.status,
    ...((await response.json()) as { error: { code: string; message: string } }).error,
  };
}

const balanceOf = async (client: Awaited<ReturnType<typeof signUp>>["client"]) =>
  (await client.accounting.balance.query()).available;

describe("POST /api/attachments", () => {
  it("accepts every format, read from the bytes rather than the name or the claimed type", async () => {
    const { token } = await signUp(server);
    const cases: [Uint8Array | string, string, string, string, number | null][] = [
      [png(120, 80), "photo.png", "png", "image", 120],
      [jpeg1x1, "photo.jpg", "jpeg", "image", 1],
      [gif1x1, "anim.gif", "gif", "image", 1],
      [webp1x1, "pic.webp", "webp", "image", 1],
      [pdf("Quarterly figures"), "report.pdf", "pdf", "document", null],
      [docx("Minutes of the meeting"), "minutes.docx", "docx", "document", null],
      ["name,amount\nalice,3\n", "table.csv", "csv", "document", null],
      ["plain words\n", "notes.txt", "txt", "document", null],
      ["# Title\n\nSome *markdown*.\n", "readme.md", "md", "document", null],
      ["<!doctype html><p>Hello</p><script>alert(1)</script>", "page.html", "html", "document", null],
      // The claim is ignored: a PNG named and typed as text is an image.
      [png(10, 10), "not-really.txt", "png", "image", 10],
    ];
    for (const [bytes, name, format, kind, width] of cases) {
      const body = await uploaded(token, bytes, name, name.endsWith(".txt") ? "text/plain" : "");
      expect({ name, format: body.format, kind: body.kind, width: body.width }).toEqual({
        name,
        format,
        kind,
        width,
      });
    }
  });

  it("refuses an unsupported type (415), an oversized file (413), a corrupt image and an empty file (400)", async () => {
    const { token } = await signUp(server);
    const binary = new Uint8Array(64).map((_, i) => (i * 37) % 256);
    expect(await errorOf(await upload(binary, "blob.bin", bearer(token)))).toMatchObject({
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: expect.stringMatching(/not a supported file type.*PNG, JPEG/),
    });
    const gzip = new Uint8Array([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4]);
    expect((await errorOf(await upload(gzip, "archive.gz", bearer(token)))).status).toBe(415);

    // Just over the limit (inside the multipart allowance): the domain's check; far over: the body limit's.
    const over = new Uint8Array(MAX_BYTES + 1).fill(0x61);
    expect(await errorOf(await upload(over, "big.txt", bearer(token)))).toMatchObject({
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
      message: expect.stringMatching(/larger than 195 KB/),
    });
    const huge = new Uint8Array(MAX_BYTES * 3).fill(0x61);
    expect(await errorOf(await upload(huge, "huge.txt", bearer(token)))).toMatchObject({
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
    });

    const truncated = png(50, 50).subarray(0, 20);
    expect(await errorOf(await upload(truncated, "broken.png", bearer(token)))).toMatchObject({
      status: 400,
      code: "BAD_REQUEST",
      message: expect.stringMatching(/broken\.png.*cannot be read/),
    });
    const cutDocx = docx("Minutes").subarray(0, 600);
    expect(await errorOf(await upload(cutDocx, "minutes.docx", bearer(token)))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/minutes\.docx.*damaged or incomplete/),
    });
    expect((await errorOf(await upload("", "empty.txt", bearer(token)))).status).toBe(400);

    const noFile = await fetch(`${server.url}/api/attachments`, {
      method: "POST",
      headers: { ...bearer(token), "content-type": "application/json" },
      body: "{}",
    });
    expect(await errorOf(noFile)).toMatchObject({ status: 400, code: "BAD_REQUEST" });
  });

  it("takes a session cookie or a bearer token; refuses anonymous and cross-origin cookie uploads", async () => {
    const { token, input } = await signUp(server);
    const login = await server.post(
      "auth.login",
      JSON.stringify({ json: { login: input.email, password: input.password } }),
    );
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";

    expect((await upload("hi", "a.txt", { cookie })).status).toBe(201);
    expect((await upload("hi", "a.txt", { cookie, origin: server.url })).status).toBe(201);
    expect((await upload("hi", "a.txt", { cookie, origin: "https://app.partner.example" })).status).toBe(201);
    expect(
      await errorOf(await upload("hi", "a.txt", { cookie, origin: "https://evil.example" })),
    ).toMatchObject({
      status: 403,
      code: "FORBIDDEN",
      message: "Cross-origin request refused.",
    });
    expect((await upload("hi", "a.txt", { ...bearer(token), origin: "https://evil.example" })).status).toBe(
      201,
    );
    expect(await errorOf(await upload("hi", "a.txt", {}))).toMatchObject({
      status: 401,
      code: "UNAUTHORIZED",
    });
  });
});

describe("GET /api/attachments/:id", () => {
  it("serves the owner's file with its type; documents only as downloads; nobody else's", async () => {
    const owner = await signUp(server);
    const image = png(40, 30);
    const { attachmentId: imageId } = await uploaded(owner.token, image, "pic.png");
    const { attachmentId: htmlId } = await uploaded(owner.token, "<script>alert(1)</script>", "x.html");

    const shown = await fetch(`${server.url}/api/attachments/${imageId}`, { headers: bearer(owner.token) });
    expect(shown.status).toBe(200);
    expect(shown.headers.get("content-type")).toBe("image/png");
    expect(shown.headers.get("content-disposition")).toMatch(/^inline; filename="pic.png"/);
    expect(shown.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await shown.arrayBuffer()).equals(image)).toBe(true);

    const page = await fetch(`${server.url}/api/attachments/${htmlId}`, { headers: bearer(owner.token) });
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-disposition")).toMatch(/^attachment; filename="x.html"/);
    expect(page.headers.get("content-security-policy")).toMatch(/sandbox/);

    const stranger = await signUp(server);
    const refused = await fetch(`${server.url}/api/attachments/${imageId}`, {
      headers: bearer(stranger.token),
    });
    expect(await errorOf(refused)).toMatchObject({ status: 404, code: "NOT_FOUND" });
    const bogus = await fetch(`${server.url}/api/attachments/not-an-id`, { headers: bearer(owner.token) });
    expect(bogus.status).toBe(404);
  });
});

describe("sessions.send with attachmentIds", () => {
  it("sends image and document blocks to Bedrock, counts their tokens in the hold and the charge", async () => {
    const { client, token, session } = await chatter();
    const image = await uploaded(token, png(300, 250), "chart.png");
    const doc = await uploaded(token, "one two three four five six seven eight", "notes.txt");
    const before = await balanceOf(client);
    stack.fake.reset();

    const events = await converse(client, {
      sessionId: session.id,
      content: "Describe these [[fake tokens=5]]",
      attachmentIds: [image.attachmentId, doc.attachmentId],
    });
    const [done] = eventsOfType(events, "done");
    const [usage] = eventsOfType(events, "usage");
    const [started] = eventsOfType(events, "started");
    expect(done?.status).toBe("complete");

    const request = stack.fake.requests.at(-1);
    const body = request?.body as { messages: { role: string; content: Record<string, unknown>[] }[] };
    // (Prompt caching may add a cache point after them: not an attachment.)
    const last = body.messages.at(-1);
    expect(last?.content.map((b) => Object.keys(b)[0]).filter((k) => k !== "cachePoint")).toEqual([
      "image",
      "document",
      "text",
    ]);
    expect(last?.content[0]).toMatchObject({ image: { format: "png" } });
    expect(last?.content[1]).toMatchObject({ document: { format: "txt", name: "notes" } });

    // The same message without attachments, in a new chat: the difference is theirs. The fake
    // counts the image as 300×250/750 = 100 tokens and the document's 8 words.
    const textOnly = await converse(client, {
      sessionId: (await client.sessions.create.mutate({})).id,
      content: "Describe these [[fake tokens=5]]",
    });
    const [textUsage] = eventsOfType(textOnly, "usage");
    expect((usage?.inputTokens ?? 0) - (textUsage?.inputTokens ?? 0)).toBe(100 + 8);
    // The hold included the estimate: 100 for the image, the text's length / 4 + 4.
    const [textStarted] = eventsOfType(textOnly, "started");
    expect((started?.held ?? 0) - (textStarted?.held ?? 0)).toBe(100 + Math.ceil(39 / 4) + 4);
    // Charged by the usage Bedrock reported: one credit per token.
    expect(done?.creditsCharged).toBe((usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0));
    const [textDone] = eventsOfType(textOnly, "done");
    expect(before - (await balanceOf(client))).toBe(
      (done?.creditsCharged ?? 0) + (textDone?.creditsCharged ?? 0),
    );

    // sessions.get lists the message's attachments; later turns carry them in the history.
    const got = await client.sessions.get.query({ sessionId: session.id });
    const userMessage = got.messages.find((m) => m.role === "user");
    expect(userMessage?.attachments).toEqual([
      expect.objectContaining({
        id: image.attachmentId,
        name: "chart.png",
        kind: "image",
        width: 300,
        height: 250,
      }),
      expect.objectContaining({ id: doc.attachmentId, name: "notes.txt", kind: "document", width: null }),
    ]);
    expect(got.messages.find((m) => m.role === "assistant")?.attachments).toEqual([]);
    stack.fake.reset();
    await converse(client, { sessionId: session.id, content: "And again? [[fake tokens=3]]" });
    const history = (stack.fake.requests.at(-1)?.body as typeof body | undefined)?.messages ?? [];
    expect(history[0]?.content.map((b) => Object.keys(b)[0]).filter((k) => k !== "cachePoint")).toEqual([
      "image",
      "document",
      "text",
    ]);
    expect(
      history
        .at(-1)
        ?.content.map((b) => Object.keys(b)[0])
        .filter((k) => k !== "cachePoint"),
    ).toEqual(["text"]);

    // Sent once: the same upload cannot ride on another message.
    const reuse = await failureOf(
      client.sessions.send.mutate({
        sessionId: session.id,
        content: "again",
        attachmentIds: [image.attachmentId],
      }),
    );
    expect(reuse.code).toBe("NOT_FOUND");
  });

  it("refuses before charging: another user's upload, too many, a model that cannot read them", async () => {
    const { client, token, session } = await chatter();
    const stranger = await signUp(server);
    const theirs = await uploaded(stranger.token, png(20, 20), "theirs.png");
    const mine = await Promise.all([1, 2, 3, 4].map((i) => uploaded(token, png(20, 20), `m${i}.png`)));
    const before = await balanceOf(client);
    stack.fake.reset();

    const refusals = [
      await failureOf(
        client.sessions.send.mutate({
          sessionId: session.id,
          content: "hi",
          attachmentIds: [theirs.attachmentId],
        }),
      ),
      await failureOf(
        client.sessions.send.mutate({
          sessionId: session.id,
          content: "hi",
          attachmentIds: mine.map((m) => m.attachmentId),
        }),
      ),
      await failureOf(
        client.sessions.send.mutate({
          sessionId: session.id,
          content: "hi",
          modelId: TEXT_ONLY_MODEL,
          attachmentIds: [mine[0]?.attachmentId ?? ""],
        }),
      ),
    ];
    expect(refusals.map((r) => r.code)).toEqual(["NOT_FOUND", "BAD_REQUEST", "BAD_REQUEST"]);
    expect(refusals[1]?.message).toMatch(/at most 3 attachments/);
    expect(refusals[2]?.message).toMatch(/cannot read images/);
    expect(await balanceOf(client)).toBe(before);
    expect(stack.fake.requests).toHaveLength(0);
    const got = await client.sessions.get.query({ sessionId: session.id });
    expect(got.messages).toHaveLength(0);
    // The refused uploads are still the user's to send.
    await converse(client, {
      sessionId: session.id,
      content: "now [[fake tokens=2]]",
      attachmentIds: [mine[0]?.attachmentId ?? ""],
    });
  });
});

describe("one upload, two sends at once", () => {
  it("only one send takes it: parley_start_turn links it with the hold, the other rolls back uncharged", async () => {
    const { client, token } = await chatter();
    const image = await uploaded(token, png(20, 20), "race.png");
    const [a, b] = await Promise.all([client.sessions.create.mutate({}), client.sessions.create.mutate({})]);
    const results = await Promise.allSettled(
      [a, b].map((s) =>
        client.sessions.send.mutate({
          sessionId: s.id,
          content: "mine [[fake tokens=2]]",
          attachmentIds: [image.attachmentId],
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r) => r.status === "rejected");
    expect(await failureOf(Promise.reject(rejected?.reason))).toMatchObject({ code: "NOT_FOUND" });
    const conn = server.db.em.fork().getConnection();
    const turns = await conn.execute<{ n: string }[]>(
      "select count(*) as n from chat_turns where session_id in (?, ?)",
      [a.id, b.id],
    );
    const messages = await conn.execute<{ n: string }[]>(
      "select count(*) as n from chat_messages where session_id in (?, ?) and role = 'user'",
      [a.id, b.id],
    );
    expect([Number(turns[0]?.n), Number(messages[0]?.n)]).toEqual([1, 1]);
  });
});

describe("unsent uploads expire", () => {
  it("the sweep deletes uploads older than the time-to-live that were never sent", async () => {
    const { token } = await signUp(server);
    const old = await uploaded(token, "old", "old.txt");
    const fresh = await uploaded(token, "fresh", "fresh.txt");
    const conn = server.db.em.fork().getConnection();
    await conn.execute("update chat_attachments set created_at = now() - interval '2 days' where id = ?", [
      old.attachmentId,
    ]);
    const attachments = new Attachments(server.db, {
      maxBytes: MAX_BYTES,
      maxPerMessage: 3,
      unsentTtlSeconds: 86_400,
    });
    expect(await attachments.sweepNow()).toBeGreaterThanOrEqual(1);
    const left = await conn.execute<{ id: string }[]>("select id from chat_attachments where id in (?, ?)", [
      old.attachmentId,
      fresh.attachmentId,
    ]);
    expect(left.map((r) => r.id)).toEqual([fresh.attachmentId]);
  });
});

describe("@parley/client uploadAttachment", () => {
  it("uploads with the client's token and throws a typed error on a refusal", async () => {
    const { client, token, session } = await chatter();
    const uploadedPdf = await uploadAttachment(
      { url: server.url, token },
      new Blob([pdf("Hello")]),
      "hello.pdf",
    );
    expect(uploadedPdf).toMatchObject({ format: "pdf", kind: "document", name: "hello.pdf" });
    const events = await converse(client, {
      sessionId: session.id,
      content: "Summarise [[fake tokens=2]]",
      attachmentIds: [uploadedPdf.attachmentId],
    });
    expect(eventsOfType(events, "done")).toHaveLength(1);

    const refused = await uploadAttachment(
      { url: server.url, token },
      new Blob([new Uint8Array([0, 1, 2, 255])]),
      "x.bin",
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ParleyUploadError);
    expect(refused).toMatchObject({ status: 415, code: "UNSUPPORTED_MEDIA_TYPE" });
  });
});
