// Instructions and parameters per chat (sessions.update / sessions.get) and presets (presets.*):
// what the model receives (the fake Bedrock's `echo` answers with it), the hold that follows the
// smaller maximum answer length, the bounds checked server-side, and who may change what.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { converse, eventsOfType, startChatTestServer, streamTurn, textOf } from "../support/chat.ts";
import { failureOf } from "../support/errors.ts";
import type { TestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0"; // answers up to 8,192 tokens

let server: TestServer;
let stack: Awaited<ReturnType<typeof startChatTestServer>>;
beforeAll(async () => {
  stack = await startChatTestServer({ BEDROCK_MODEL_ARNS: MODEL });
  ({ server } = stack);
});
afterAll(() => stack?.close());

async function chatter() {
  const { admin, user } = await fundedUser(server, 1_000_000);
  const session = await user.client.sessions.create.mutate({});
  return { ...user, admin, session };
}

describe("chat settings", () => {
  it("reach the model: the chat's instructions after the server's, its temperature and answer length", async () => {
    const { client, session } = await chatter();
    const updated = await client.sessions.update.mutate({
      sessionId: session.id,
      systemPrompt: "  Always answer like a pirate.  ",
      temperature: 0.25,
      maxTokens: 50,
    });
    expect(updated.settings).toEqual({
      systemPrompt: "Always answer like a pirate.",
      temperature: 0.25,
      maxTokens: 50,
    });
    const got = await client.sessions.get.query({ sessionId: session.id });
    expect(got.settings).toEqual(updated.settings);

    const events = await converse(client, { sessionId: session.id, content: "Who are you? [[fake echo]]" });
    const answer = textOf(events);
    expect(answer).toMatch(/^system=You are Parley/);
    expect(answer).toContain("\n\nAlways answer like a pirate.");
    expect(answer).toContain("temperature=0.25 maxTokens=50");
    // The hold is sized by the chat's 50 tokens, not the model's 8,192.
    const [started] = eventsOfType(events, "started");
    const [reservation] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ estimated_output_tokens: number }[]>(
        "select estimated_output_tokens from reservations where id = ?",
        [started?.turnId],
      );
    expect(reservation?.estimated_output_tokens).toBe(50);
  });

  it("null clears a setting; the title changes alone; without settings the model's defaults apply", async () => {
    const { client, session } = await chatter();
    await client.sessions.update.mutate({ sessionId: session.id, systemPrompt: "Be terse.", temperature: 1 });
    const cleared = await client.sessions.update.mutate({
      sessionId: session.id,
      systemPrompt: null,
      temperature: null,
    });
    expect(cleared.settings).toEqual({ systemPrompt: null, temperature: null, maxTokens: null });
    const renamed = await client.sessions.update.mutate({ sessionId: session.id, title: "Renamed" });
    expect(renamed).toMatchObject({ title: "Renamed", settings: { systemPrompt: null } });
    const answer = textOf(await converse(client, { sessionId: session.id, content: "Hi [[fake echo]]" }));
    expect(answer).not.toContain("Be terse.");
    expect(answer).toContain("temperature=unset maxTokens=8192");
  });

  it("a temperature is kept to three decimal places, so one too small for the column is 0, not a 500", async () => {
    // 5e-324 is what the fuzz test sent: PostgreSQL's real column refuses it as an underflow.
    const { client, session } = await chatter();
    const tiny = await client.sessions.update.mutate({ sessionId: session.id, temperature: 5e-324 });
    expect(tiny.settings.temperature).toBe(0);
    const fine = await client.sessions.update.mutate({ sessionId: session.id, temperature: 0.123456 });
    expect(fine.settings.temperature).toBe(0.123);
    const preset = await client.presets.create.mutate({ name: "Zalgo", temperature: 5e-324 });
    expect(preset.temperature).toBe(0);
    const changed = await client.presets.update.mutate({ presetId: preset.id, temperature: 0.9876 });
    expect(changed.temperature).toBe(0.988);
  });

  it("bounds are checked server-side: clear BAD_REQUEST errors naming the field", async () => {
    const { client, session } = await chatter();
    const cases: [Record<string, unknown>, string][] = [
      [{ temperature: 1.5 }, "temperature"],
      [{ temperature: -0.1 }, "temperature"],
      [{ maxTokens: 0 }, "maxTokens"],
      [{ maxTokens: 2.5 }, "maxTokens"],
      [{ systemPrompt: "x".repeat(8001) }, "systemPrompt"],
    ];
    for (const [settings, field] of cases) {
      const failure = await failureOf(client.sessions.update.mutate({ sessionId: session.id, ...settings }));
      expect(failure.code, field).toBe("BAD_REQUEST");
      expect(failure.zodIssues?.[0]?.path, field).toEqual([field]);
    }
    const tooLong = await failureOf(
      client.sessions.update.mutate({ sessionId: session.id, maxTokens: 8193 }),
    );
    expect(tooLong).toMatchObject({ code: "BAD_REQUEST", detail: { field: "maxTokens", max: 8192 } });
    expect(tooLong.message).toContain("from 1 to 8192");
    const config = await client.sessions.config.query();
    expect(config.settingsLimits).toEqual({
      systemPromptChars: 8000,
      temperature: { min: 0, max: 1 },
      maxTokens: { min: 1, max: 8192 },
    });
  });

  it("a new chat sent with settings (a preset's) answers with them from its first answer; a refused one leaves no chat", async () => {
    const { client } = await chatter();
    const settings = { systemPrompt: "  Talk like a pirate.  ", temperature: 0.4, maxTokens: 40 };
    const { turnId, sessionId } = await client.sessions.send.mutate({
      content: "Who are you? [[fake echo]]",
      modelId: MODEL,
      settings,
    });
    const answer = textOf(await streamTurn(client, turnId).finished);
    expect(answer).toContain("\n\nTalk like a pirate.");
    expect(answer).toContain("temperature=0.4 maxTokens=40");
    expect((await client.sessions.get.query({ sessionId: sessionId ?? "" })).settings).toEqual({
      systemPrompt: "Talk like a pirate.",
      temperature: 0.4,
      maxTokens: 40,
    });
    // The hold followed the settings' answer length, not the model's 8,192.
    const [reservation] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ estimated_output_tokens: number }[]>(
        "select estimated_output_tokens from reservations where id = ?",
        [turnId],
      );
    expect(reservation?.estimated_output_tokens).toBe(40);

    const poor = await signUp(server); // no credits
    expect((await failureOf(poor.client.sessions.send.mutate({ content: "Hi", settings }))).code).toBe(
      "PAYMENT_REQUIRED",
    );
    expect((await poor.client.sessions.list.query({})).items).toEqual([]);

    const existing = await client.sessions.create.mutate({});
    const misplaced = await failureOf(
      client.sessions.send.mutate({ sessionId: existing.id, content: "Hi", settings }),
    );
    expect(misplaced).toMatchObject({ code: "BAD_REQUEST", detail: { field: "settings" } });
    const outOfBounds = await failureOf(
      client.sessions.send.mutate({ content: "Hi", settings: { maxTokens: 10_000 } }),
    );
    expect(outOfBounds).toMatchObject({ code: "BAD_REQUEST", detail: { field: "maxTokens" } });
  });

  it("another user's chat is NOT_FOUND", async () => {
    const { session } = await chatter();
    const stranger = await signUp(server);
    const failure = await failureOf(
      stranger.client.sessions.update.mutate({ sessionId: session.id, temperature: 0.1 }),
    );
    expect(failure.code).toBe("NOT_FOUND");
  });
});

describe("presets", () => {
  it("a user saves, lists, changes and deletes their own; others never see an unpublished one", async () => {
    const { client } = await chatter();
    const stranger = await signUp(server);
    const preset = await client.presets.create.mutate({
      name: "Pirate",
      systemPrompt: "Answer like a pirate.",
      temperature: 0.9,
      maxTokens: 300,
      modelId: MODEL,
    });
    expect(preset).toMatchObject({ name: "Pirate", published: false, mine: true, modelId: MODEL });
    expect((await client.presets.list.query()).filter((p) => p.mine).map((p) => p.id)).toEqual([preset.id]);
    expect((await stranger.client.presets.list.query()).map((p) => p.id)).not.toContain(preset.id);

    const changed = await client.presets.update.mutate({
      presetId: preset.id,
      name: "Parrot",
      temperature: null,
    });
    expect(changed).toMatchObject({ name: "Parrot", temperature: null, maxTokens: 300 });
    expect(
      (await failureOf(stranger.client.presets.update.mutate({ presetId: preset.id, name: "Mine" }))).code,
    ).toBe("NOT_FOUND");
    expect((await failureOf(stranger.client.presets.delete.mutate({ presetId: preset.id }))).code).toBe(
      "NOT_FOUND",
    );
    await client.presets.delete.mutate({ presetId: preset.id });
    expect((await client.presets.list.query()).map((p) => p.id)).not.toContain(preset.id);
  });

  it("only admins publish; everyone sees a published preset, only its owner (or an admin) changes it", async () => {
    const { client, admin } = await chatter();
    const stranger = await signUp(server);
    const refused = await failureOf(client.presets.create.mutate({ name: "For all", published: true }));
    expect(refused).toMatchObject({ code: "FORBIDDEN", detail: { field: "published" } });
    const own = await client.presets.create.mutate({ name: "Mine" });
    expect((await failureOf(client.presets.update.mutate({ presetId: own.id, published: true }))).code).toBe(
      "FORBIDDEN",
    );

    const published = await admin.client.presets.create.mutate({
      name: "House style",
      systemPrompt: "Use British spelling.",
      published: true,
    });
    const seen = (await stranger.client.presets.list.query()).find((p) => p.id === published.id);
    expect(seen).toMatchObject({ name: "House style", published: true, mine: false });
    expect(
      (await failureOf(stranger.client.presets.update.mutate({ presetId: published.id, name: "x" }))).code,
    ).toBe("NOT_FOUND");
    // Another admin may change or unpublish it.
    const otherAdmin = await signUpAs(server, "admin");
    const unpublished = await otherAdmin.client.presets.update.mutate({
      presetId: published.id,
      published: false,
    });
    expect(unpublished).toMatchObject({ published: false, mine: false });
    expect((await stranger.client.presets.list.query()).map((p) => p.id)).not.toContain(published.id);
  });

  it("bounds and the model are checked: BAD_REQUEST", async () => {
    const { client } = await chatter();
    expect((await failureOf(client.presets.create.mutate({ name: "" }))).code).toBe("BAD_REQUEST");
    expect((await failureOf(client.presets.create.mutate({ name: "x".repeat(101) }))).code).toBe(
      "BAD_REQUEST",
    );
    expect((await failureOf(client.presets.create.mutate({ name: "t", temperature: 2 }))).code).toBe(
      "BAD_REQUEST",
    );
    expect((await failureOf(client.presets.create.mutate({ name: "m", maxTokens: 100_000 }))).code).toBe(
      "BAD_REQUEST",
    );
    const model = await failureOf(client.presets.create.mutate({ name: "m", modelId: "no-such-model" }));
    expect(model).toMatchObject({ code: "BAD_REQUEST", detail: { field: "modelId" } });
  });
});
