import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/errors.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe("role checks", () => {
  it("no session → UNAUTHORIZED; a plain user → FORBIDDEN", async () => {
    expect(await failureOf(server.client().admin.users.list.query({}))).toMatchObject({
      code: "UNAUTHORIZED",
    });
    const { client, user } = await signUp(server);
    expect(await failureOf(client.admin.users.list.query({}))).toMatchObject({ code: "FORBIDDEN" });
    expect(
      await failureOf(client.admin.users.update.mutate({ userId: user.id, role: "admin" })),
    ).toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("a supervisor may list but not change users", async () => {
    const { client } = await signUpAs(server, "supervisor");
    const target = await signUp(server);
    await expect(client.admin.users.list.query({})).resolves.toMatchObject({ page: 1 });
    expect(
      await failureOf(client.admin.users.update.mutate({ userId: target.user.id, active: false })),
    ).toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("admin.users.list", () => {
  it("pages, searches and filters", async () => {
    const admin = await signUpAs(server, "admin");
    const marker = `zq${Date.now()}`;
    for (let i = 0; i < 5; i++) await signUp(server, { displayName: `${marker} member ${i}` });

    const first = await admin.client.admin.users.list.query({ page: 1, size: 2, search: marker });
    expect(first).toMatchObject({ total: 5, pages: 3, page: 1, size: 2 });
    expect(first.items).toHaveLength(2);
    const third = await admin.client.admin.users.list.query({ page: 3, size: 2, search: marker });
    expect(third.items).toHaveLength(1);
    const ids = new Set([...first.items, ...third.items].map((u) => u.id));
    expect(ids.size).toBe(3);

    const admins = await admin.client.admin.users.list.query({ role: "admin", size: 100 });
    expect(admins.items.every((u) => u.role === "admin")).toBe(true);
    expect(admins.items.map((u) => u.id)).toContain(admin.user.id);

    const sorted = await admin.client.admin.users.list.query({
      search: marker,
      sort: "displayName",
      order: "asc",
    });
    expect(sorted.items.map((u) => u.displayName)).toEqual(
      [...sorted.items.map((u) => u.displayName)].sort(),
    );
  });

  it("treats LIKE wildcards in the search literally", async () => {
    const admin = await signUpAs(server, "admin");
    const result = await admin.client.admin.users.list.query({ search: "%" });
    expect(result.total).toBe(0);
  });

  it("rejects a page size over 100", async () => {
    const admin = await signUpAs(server, "admin");
    expect(await failureOf(admin.client.admin.users.list.query({ size: 101 }))).toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});

describe("admin.users.update", () => {
  it("changes a role", async () => {
    const admin = await signUpAs(server, "admin");
    const target = await signUp(server);
    const updated = await admin.client.admin.users.update.mutate({
      userId: target.user.id,
      role: "supervisor",
    });
    expect(updated.role).toBe("supervisor");
    await expect(target.client.admin.users.list.query({})).resolves.toBeTruthy();
  });

  it("deactivation stops the user's sessions at once and blocks login like a wrong password", async () => {
    const admin = await signUpAs(server, "admin");
    const target = await signUp(server);
    await admin.client.admin.users.update.mutate({ userId: target.user.id, active: false });
    expect(await failureOf(target.client.auth.me.query())).toMatchObject({ code: "UNAUTHORIZED" });
    expect(
      await failureOf(
        server.client().auth.login.mutate({ login: target.input.email, password: target.input.password }),
      ),
    ).toMatchObject({ code: "UNAUTHORIZED", message: "Invalid login or password." });

    await admin.client.admin.users.update.mutate({ userId: target.user.id, active: true });
    await expect(
      server.client().auth.login.mutate({ login: target.input.email, password: target.input.password }),
    ).resolves.toBeTruthy();
  });

  it("a deactivated user's session stops working even if set inactive directly in the database", async () => {
    const target = await signUp(server);
    await server.db.em
      .fork()
      .getConnection()
      .execute("update users set active = false where id = ?", [target.user.id]);
    expect(await failureOf(target.client.auth.me.query())).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("unknown user → NOT_FOUND; malformed id → BAD_REQUEST; self-demotion → FORBIDDEN", async () => {
    const admin = await signUpAs(server, "admin");
    expect(
      await failureOf(admin.client.admin.users.update.mutate({ userId: crypto.randomUUID(), active: false })),
    ).toMatchObject({ code: "NOT_FOUND" });
    expect(
      await failureOf(admin.client.admin.users.update.mutate({ userId: "nope", active: false })),
    ).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(
      await failureOf(admin.client.admin.users.update.mutate({ userId: admin.user.id, role: "user" })),
    ).toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
