import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/errors.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { newUserInput, signUp, signUpAs } from "../support/users.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe("register", () => {
  it("creates the user, returns a working token and stores only the token's hash", async () => {
    const input = newUserInput({ email: "Mixed.Case@Example.COM", displayName: "Mixed Case" });
    const { user, token } = await server.client().auth.register.mutate(input);
    expect(user).toMatchObject({
      email: "mixed.case@example.com",
      role: "user",
      active: true,
      displayName: "Mixed Case",
    });
    expect(user).not.toHaveProperty("passwordHash");
    expect(user.createdAt).toBeInstanceOf(Date);

    const me = await server.client(token).auth.me.query();
    expect(me.id).toBe(user.id);

    const rows = await server.db.em
      .fork()
      .getConnection()
      .execute<{ id: string }[]>("select id from auth_sessions where user_id = ?", [user.id]);
    expect(rows.map((r) => r.id)).toEqual([createHash("sha256").update(token).digest("hex")]);
  });

  it("stores passwords as argon2id hashes", async () => {
    const { user } = await signUp(server);
    const [row] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ password_hash: string }[]>("select password_hash from users where id = ?", [user.id]);
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("refuses a duplicate email, case-insensitively, naming the field", async () => {
    const first = newUserInput();
    await server.client().auth.register.mutate(first);
    const error = await failureOf(
      server.client().auth.register.mutate(newUserInput({ email: first.email.toUpperCase() })),
    );
    expect(error).toMatchObject({ code: "CONFLICT", detail: { field: "email" } });
    expect(error.message).toMatch(/email/);
  });

  it("refuses a duplicate username, naming the field", async () => {
    const first = newUserInput();
    await server.client().auth.register.mutate(first);
    const error = await failureOf(
      server.client().auth.register.mutate(newUserInput({ username: first.username.toUpperCase() })),
    );
    expect(error).toMatchObject({ code: "CONFLICT", detail: { field: "username" } });
  });

  it("settles two simultaneous registrations of one email as one success and one CONFLICT", async () => {
    const input = newUserInput();
    const results = await Promise.allSettled([
      server.client().auth.register.mutate(input),
      server.client().auth.register.mutate({ ...input, username: `${input.username}x` }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect(await failureOf(Promise.reject(rejected?.reason))).toMatchObject({ code: "CONFLICT" });
  });

  it.each([
    ["too short", "short-pw", /at least 10 characters/],
    ["common", "password123", /too common/],
    ["repetitive", "aaaaaaaaaaaa", /too few/],
  ])("refuses a weak password (%s) with BAD_REQUEST saying why", async (_kind, password, why) => {
    const error = await failureOf(server.client().auth.register.mutate(newUserInput({ password })));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(why);
    expect(error.detail).toMatchObject({ field: "password" });
  });

  it("refuses a password that contains the username", async () => {
    const input = newUserInput();
    const error = await failureOf(
      server.client().auth.register.mutate({ ...input, password: `${input.username}-secret!` }),
    );
    expect(error).toMatchObject({ code: "BAD_REQUEST", detail: { field: "password" } });
  });
});

describe("login", () => {
  it("accepts the email or the username, sets an HttpOnly SameSite=Lax cookie and returns a token", async () => {
    const { input } = await signUp(server);
    for (const login of [input.email, input.username.toUpperCase()]) {
      const response = await server.post(
        "auth.login",
        JSON.stringify({ json: { login, password: input.password } }),
      );
      expect(response.status).toBe(200);
      const cookie = response.headers.get("set-cookie") ?? "";
      expect(cookie).toMatch(/^parley_session=\w+;/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
      const body = (await response.json()) as { result: { data: { json: { token: string } } } };
      expect(body.result.data.json.token).toMatch(/^\w{20,}$/);
    }
  });

  it("auth.session answers the signed-in session's user, and null (not 401) for anyone else", async () => {
    expect(await server.client().auth.session.query()).toBeNull();
    expect(await server.client("not-a-session-token").auth.session.query()).toBeNull();
    const { user, client } = await signUp(server);
    expect(await client.auth.session.query()).toMatchObject({ id: user.id, email: user.email });
  });

  it("records the last sign-in: registering signs in too, and each login moves it on", async () => {
    const { input, user, client } = await signUp(server);
    expect(user.lastLoginAt).toBeInstanceOf(Date);
    const me = await client.auth.me.query();
    expect(me.lastLoginAt?.getTime()).toBe(user.lastLoginAt?.getTime());
    const { user: after } = await server
      .client()
      .auth.login.mutate({ login: input.username, password: input.password });
    expect(after.lastLoginAt?.getTime()).toBeGreaterThanOrEqual(user.lastLoginAt?.getTime() ?? Infinity);
    const admin = await signUpAs(server, "admin");
    const listed = await admin.client.admin.users.list.query({ search: input.username });
    expect(listed.items[0]?.lastLoginAt?.getTime()).toBe(after.lastLoginAt?.getTime());
  });

  it("gives an unknown login and a wrong password the same UNAUTHORIZED message and similar time", async () => {
    const { input } = await signUp(server);
    const timed = async (login: string) => {
      const started = performance.now();
      const error = await failureOf(
        server.client().auth.login.mutate({ login, password: "wrong-password-123" }),
      );
      return { error, ms: performance.now() - started };
    };
    // The fastest of a few tries of each (the first also warms the lazily computed dummy hash): a
    // loaded machine slows single calls at random, never speeds one up.
    const fastest = async (login: string) => {
      const tries = [];
      for (let i = 0; i < 3; i++) tries.push(await timed(login));
      return tries.reduce((best, t) => (t.ms < best.ms ? t : best));
    };
    const unknown = await fastest("nobody-at-all");
    const wrong = await fastest(input.username);
    expect(unknown.error).toMatchObject({ code: "UNAUTHORIZED", message: "Invalid login or password." });
    expect(wrong.error).toMatchObject({ code: "UNAUTHORIZED", message: "Invalid login or password." });
    // Both paths run one argon2 verification: the unknown-login path is not measurably cheaper.
    expect(unknown.ms).toBeGreaterThan(wrong.ms * 0.4);
  });
});

describe("sessions", () => {
  it("works with the cookie alone, as a browser sends it", async () => {
    const { input } = await signUp(server);
    const login = await server.post(
      "auth.login",
      JSON.stringify({ json: { login: input.email, password: input.password } }),
    );
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const me = await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    const anonymous = await fetch(`${server.url}/trpc/auth.me`);
    expect(anonymous.status).toBe(401);
  });

  it("refuses me() without a session, and with a made-up token", async () => {
    expect(await failureOf(server.client().auth.me.query())).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await failureOf(server.client("not-a-real-token").auth.me.query())).toMatchObject({
      code: "UNAUTHORIZED",
    });
  });

  it("logout ends only the current session", async () => {
    const { input, client } = await signUp(server);
    const { token: second } = await server
      .client()
      .auth.login.mutate({ login: input.email, password: input.password });
    await client.auth.logout.mutate();
    expect(await failureOf(client.auth.me.query())).toMatchObject({ code: "UNAUTHORIZED" });
    await expect(server.client(second).auth.me.query()).resolves.toBeTruthy();
  });

  it("logoutEverywhere ends all of the user's sessions", async () => {
    const { input, client } = await signUp(server);
    const { token: second } = await server
      .client()
      .auth.login.mutate({ login: input.email, password: input.password });
    await client.auth.logoutEverywhere.mutate();
    expect(await failureOf(client.auth.me.query())).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await failureOf(server.client(second).auth.me.query())).toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("profile", () => {
  it("updates display name, username and email", async () => {
    const { client } = await signUp(server);
    const fresh = newUserInput();
    const updated = await client.auth.updateProfile.mutate({
      displayName: "New Name",
      username: fresh.username,
      email: fresh.email,
    });
    expect(updated).toMatchObject({ displayName: "New Name", username: fresh.username, email: fresh.email });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(updated.createdAt.getTime());
  });

  it("refuses a username or email someone else has", async () => {
    const other = await signUp(server);
    const { client } = await signUp(server);
    expect(
      await failureOf(client.auth.updateProfile.mutate({ username: other.input.username })),
    ).toMatchObject({
      code: "CONFLICT",
      detail: { field: "username" },
    });
    expect(await failureOf(client.auth.updateProfile.mutate({ email: other.input.email }))).toMatchObject({
      code: "CONFLICT",
      detail: { field: "email" },
    });
  });

  it("changePassword checks the current password, ends other sessions and keeps this one", async () => {
    const { input, client } = await signUp(server);
    const { token: other } = await server
      .client()
      .auth.login.mutate({ login: input.email, password: input.password });

    expect(
      await failureOf(
        client.auth.changePassword.mutate({
          currentPassword: "not-my-password",
          newPassword: "another-long-one",
        }),
      ),
    ).toMatchObject({ code: "UNAUTHORIZED", detail: { field: "currentPassword" } });
    expect(
      await failureOf(
        client.auth.changePassword.mutate({ currentPassword: input.password, newPassword: "short" }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST", detail: { field: "newPassword" } });

    await client.auth.changePassword.mutate({
      currentPassword: input.password,
      newPassword: "another-long-one",
    });
    await expect(client.auth.me.query()).resolves.toBeTruthy();
    expect(await failureOf(server.client(other).auth.me.query())).toMatchObject({ code: "UNAUTHORIZED" });
    expect(
      await failureOf(server.client().auth.login.mutate({ login: input.email, password: input.password })),
    ).toMatchObject({ code: "UNAUTHORIZED" });
    await expect(
      server.client().auth.login.mutate({ login: input.email, password: "another-long-one" }),
    ).resolves.toBeTruthy();
  });
});
