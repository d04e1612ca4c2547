import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/errors.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

type Scope = "chat" | "accounting" | "admin";

async function keyFor(
  account: Awaited<ReturnType<typeof signUp>>,
  scopes: Scope[],
  extra: { expiresAt?: Date } = {},
) {
  return account.client.auth.apiKeys.create.mutate({ name: `key ${scopes.join("+")}`, scopes, ...extra });
}

describe("creating and listing API keys", () => {
  it("shows the secret once, stores only its SHA-256 hash, and lists prefix, scopes and times", async () => {
    const account = await signUp(server);
    const expiresAt = new Date(Date.now() + 7 * 86_400_000);
    const { key, secret } = await keyFor(account, ["chat", "accounting"], { expiresAt });

    expect(secret).toMatch(/^pk_[A-Za-z0-9_-]{32}$/);
    expect(secret.startsWith(key.prefix)).toBe(true);
    expect(key.scopes).toEqual(["chat", "accounting"]);
    expect(key.expiresAt?.getTime()).toBe(expiresAt.getTime());

    const rows = await server.db.em
      .fork()
      .getConnection()
      .execute<{ secret_hash: string }[]>("select secret_hash from api_keys where id = ?", [key.id]);
    expect(rows[0]?.secret_hash).toBe(createHash("sha256").update(secret).digest("hex"));
    const everything = JSON.stringify(
      await server.db.em.fork().getConnection().execute("select * from api_keys where id = ?", [key.id]),
    );
    expect(everything).not.toContain(secret);

    const list = await account.client.auth.apiKeys.list.query();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: key.id,
      name: "key chat+accounting",
      prefix: key.prefix,
      lastUsedAt: null,
    });
    expect(JSON.stringify(list)).not.toContain(secret);
  });

  it("records when a key was last used", async () => {
    const account = await signUp(server);
    const { key, secret } = await keyFor(account, ["accounting"]);
    await server.client(secret).accounting.balance.query();
    const [listed] = await account.client.auth.apiKeys.list.query();
    expect(listed?.id).toBe(key.id);
    expect(listed?.lastUsedAt).toBeInstanceOf(Date);
  });

  it("refuses scopes above the owner's role: a user cannot create an admin key", async () => {
    const user = await signUp(server);
    const refused = await failureOf(keyFor(user, ["chat", "admin"]));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.detail).toMatchObject({ field: "scopes" });

    const supervisor = await signUpAs(server, "supervisor");
    await expect(keyFor(supervisor, ["admin"])).resolves.toBeTruthy();
    const admin = await signUpAs(server, "admin");
    await expect(keyFor(admin, ["admin"])).resolves.toBeTruthy();
  });

  it("refuses bad input with BAD_REQUEST: no scopes, unknown scope, empty name, past expiry", async () => {
    const account = await signUp(server);
    const create = account.client.auth.apiKeys.create.mutate;
    expect((await failureOf(create({ name: "x", scopes: [] }))).code).toBe("BAD_REQUEST");
    expect((await failureOf(create({ name: "x", scopes: ["everything" as Scope] }))).code).toBe(
      "BAD_REQUEST",
    );
    expect((await failureOf(create({ name: "  ", scopes: ["chat"] }))).code).toBe("BAD_REQUEST");
    const past = await failureOf(
      create({ name: "x", scopes: ["chat"], expiresAt: new Date(Date.now() - 1000) }),
    );
    expect(past).toMatchObject({ code: "BAD_REQUEST", detail: { field: "expiresAt" } });
  });

  // The fuzz test's finding: a Date past 9999 (the client sends any Date JavaScript holds) reached
  // the database, which cannot read it, and answered 500.
  it.each([
    ["the year 10000", new Date("+010000-01-01T00:00:00.000Z")],
    ["the last day JavaScript holds", new Date(8.64e15)],
  ])("an expiry in %s is BAD_REQUEST naming expiresAt", async (_name, expiresAt) => {
    const account = await signUp(server);
    const failure = await failureOf(keyFor(account, ["chat"], { expiresAt }));
    expect(failure).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400 });
    expect(failure.zodIssues?.map((issue) => issue.path)).toEqual([["expiresAt"]]);
  });

  it("an expiry in 9999 is still accepted", async () => {
    const account = await signUp(server);
    const expiresAt = new Date("9999-12-31T23:59:59.999Z");
    const { key } = await keyFor(account, ["chat"], { expiresAt });
    expect(key.expiresAt?.getTime()).toBe(expiresAt.getTime());
  });
});

describe("using an API key as Authorization: Bearer", () => {
  it("authenticates as its owner", async () => {
    const account = await signUp(server);
    const { secret } = await keyFor(account, ["chat"]);
    const me = await server.client(secret).auth.me.query();
    expect(me.id).toBe(account.user.id);
  });

  it("enforces scopes: a chat-only key cannot read accounting or call admin procedures", async () => {
    const admin = await signUpAs(server, "admin");
    const { secret } = await keyFor(admin, ["chat"]);
    const viaKey = server.client(secret);

    await expect(viaKey.sessions.list.query()).resolves.toMatchObject({ items: [] });
    const accounting = await failureOf(viaKey.accounting.balance.query());
    expect(accounting.code).toBe("FORBIDDEN");
    expect(accounting.message).toMatch(/"accounting" scope/);
    expect((await failureOf(viaKey.admin.users.list.query({ page: 1, size: 5 }))).code).toBe("FORBIDDEN");
  });

  it("the accounting scope opens accounting.*, the admin scope admin.* (within the owner's role)", async () => {
    const admin = await signUpAs(server, "admin");
    const { secret } = await keyFor(admin, ["accounting", "admin"]);
    const viaKey = server.client(secret);
    await expect(viaKey.accounting.balance.query()).resolves.toMatchObject({ available: 0 });
    await expect(viaKey.admin.users.list.query({ page: 1, size: 5 })).resolves.toMatchObject({ page: 1 });
    expect((await failureOf(viaKey.sessions.list.query())).code).toBe("FORBIDDEN");

    // A supervisor's admin-scoped key opens only what supervisors may do.
    const supervisor = await signUpAs(server, "supervisor");
    const supervisorKey = server.client((await keyFor(supervisor, ["admin"])).secret);
    await expect(supervisorKey.admin.users.list.query({ page: 1, size: 5 })).resolves.toBeTruthy();
    const adminOnly = await failureOf(
      supervisorKey.admin.pricing.update.mutate({ modelId: "x", inputPer1k: 1 }),
    );
    expect(adminOnly.code).toBe("FORBIDDEN");
  });

  it("works on the REST paths with the same scopes", async () => {
    const account = await signUp(server);
    const accountingKey = (await keyFor(account, ["accounting"])).secret;
    const chatKey = (await keyFor(account, ["chat"])).secret;
    const balance = (secret: string) =>
      fetch(`${server.url}/api/credits/balance`, { headers: { authorization: `Bearer ${secret}` } });
    const allowed = await balance(accountingKey);
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toMatchObject({ available: 0 });
    expect((await balance(chatKey)).status).toBe(403);
  });

  it("opens the OpenAI-compatible endpoint only with the chat scope", async () => {
    const account = await signUp(server);
    const models = async (scopes: Scope[]) => {
      const { secret } = await keyFor(account, scopes);
      return fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
    };
    const allowed = await models(["chat"]);
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toMatchObject({ object: "list" });
    const refused = await models(["accounting"]);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: { type: "permission_error", code: "insufficient_scope" },
    });
  });

  it("cannot manage keys, sign out, or change the password or profile (those need a session)", async () => {
    const account = await signUp(server);
    const { secret } = await keyFor(account, ["chat", "accounting"]);
    const viaKey = server.client(secret);
    const calls = [
      () => viaKey.auth.apiKeys.create.mutate({ name: "more", scopes: ["chat"] }),
      () => viaKey.auth.apiKeys.list.query(),
      () => viaKey.auth.logout.mutate(),
      () => viaKey.auth.updateProfile.mutate({ displayName: "Key" }),
      () =>
        viaKey.auth.changePassword.mutate({
          currentPassword: account.input.password,
          newPassword: "x".repeat(12),
        }),
    ];
    for (const call of calls) {
      const refused = await failureOf(call());
      expect(refused.code).toBe("FORBIDDEN");
      expect(refused.message).toMatch(/API keys cannot do this/);
    }
  });

  it("an unknown, revoked or expired key is UNAUTHORIZED", async () => {
    const account = await signUp(server);
    expect((await failureOf(server.client(`pk_${"x".repeat(32)}`).auth.me.query())).code).toBe(
      "UNAUTHORIZED",
    );

    const { key, secret } = await keyFor(account, ["chat"]);
    await expect(server.client(secret).auth.me.query()).resolves.toBeTruthy();
    await account.client.auth.apiKeys.revoke.mutate({ id: key.id });
    expect((await failureOf(server.client(secret).auth.me.query())).code).toBe("UNAUTHORIZED");
    expect(await account.client.auth.apiKeys.list.query()).toEqual([]);

    const soon = await keyFor(account, ["chat"], { expiresAt: new Date(Date.now() + 60_000) });
    await server.db.em
      .fork()
      .getConnection()
      .execute("update api_keys set expires_at = now() - interval '1 second' where id = ?", [soon.key.id]);
    expect((await failureOf(server.client(soon.secret).auth.me.query())).code).toBe("UNAUTHORIZED");
  });

  it("a deactivated user's key stops working at once", async () => {
    const admin = await signUpAs(server, "admin");
    const account = await signUp(server);
    const { secret } = await keyFor(account, ["chat"]);
    await expect(server.client(secret).auth.me.query()).resolves.toBeTruthy();
    await admin.client.admin.users.update.mutate({ userId: account.user.id, active: false });
    expect((await failureOf(server.client(secret).auth.me.query())).code).toBe("UNAUTHORIZED");
  });
});

describe("revoking", () => {
  it("revokes only the caller's own keys", async () => {
    const owner = await signUp(server);
    const other = await signUp(server);
    const { key, secret } = await keyFor(owner, ["chat"]);
    const refused = await failureOf(other.client.auth.apiKeys.revoke.mutate({ id: key.id }));
    expect(refused.code).toBe("NOT_FOUND");
    await expect(server.client(secret).auth.me.query()).resolves.toBeTruthy();
    expect((await failureOf(owner.client.auth.apiKeys.revoke.mutate({ id: "not-a-uuid" }))).code).toBe(
      "BAD_REQUEST",
    );
  });
});
