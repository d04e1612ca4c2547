import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/errors.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

// TRUST_PROXY lets each test pose as its own client address through X-Forwarded-For.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { TRUST_PROXY: "true" } });
});
afterAll(() => server?.close());

const WRONG = "wrong-password-123";

const loginFrom = (address: string, login: string, password: string) =>
  server.post("auth.login", JSON.stringify({ json: { login, password } }), { "x-forwarded-for": address });

type ErrorBody = {
  error: { json: { message: string; data: { code: string; detail: { retryAfterSeconds: number } } } };
};

const failureRows = async (key: string) => {
  const [row] = await server.db.em
    .fork()
    .getConnection()
    .execute<{ n: string }[]>("select count(*) as n from login_failures where key = ?", [key]);
  return Number(row?.n);
};

describe("failed-login throttling", () => {
  it("10 failures on an account block the addresses that failed, by username and by email alike; the owner's fresh address gets through", async () => {
    const { input } = await signUp(server);
    for (let i = 0; i < 10; i++) {
      // Alternating the username and the email: they are one account, one count.
      const login = i % 2 === 0 ? input.username : input.email;
      expect((await loginFrom(`10.0.0.${i}`, login, WRONG)).status).toBe(401);
    }
    // A stranger address that already failed on the account is refused, whichever name it uses.
    for (const login of [input.username, input.email.toUpperCase()]) {
      const blocked = await loginFrom("10.0.0.3", login, input.password);
      expect(blocked.status).toBe(429);
      const retryAfter = Number(blocked.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(800);
      expect(retryAfter).toBeLessThanOrEqual(900);
      const body = (await blocked.json()) as ErrorBody;
      expect(body.error.json.data.code).toBe("TOO_MANY_REQUESTS");
      expect(body.error.json.data.detail.retryAfterSeconds).toBe(retryAfter);
      expect(body.error.json.message).toMatch(/Try again in 15 minute/);
    }
    // The owner, from an address that has not failed, signs in: a stranger cannot lock them out.
    expect((await loginFrom("10.0.1.1", input.email, input.password)).status).toBe(200);
  });

  it("while an account is under attack, each new stranger address gets one guess, then is refused", async () => {
    const { input } = await signUp(server);
    for (let i = 0; i < 10; i++) await loginFrom(`10.3.0.${i}`, input.username, WRONG);
    expect((await loginFrom("10.3.1.1", input.username, WRONG)).status).toBe(401);
    expect((await loginFrom("10.3.1.1", input.username, WRONG)).status).toBe(429);
  });

  it("a login that lower-casing lengthens past the key column is refused like any wrong login, not a 500", async () => {
    // 200 × "İ" is 200 characters, 400 once lower-cased: more than login_failures.key holds.
    expect((await loginFrom("192.0.2.90", "İ".repeat(200), WRONG)).status).toBe(401);
    expect(await failureRows(`login:${"İ".repeat(200).toLowerCase().slice(0, 254)}`)).toBe(1);
  });

  it("after 10 failures from one address, that address is throttled for every login name", async () => {
    const victim = await signUp(server);
    const address = "192.0.2.77";
    for (let i = 0; i < 10; i++) {
      expect((await loginFrom(address, `nobody${i}`, WRONG)).status).toBe(401);
    }
    expect((await loginFrom(address, victim.input.email, victim.input.password)).status).toBe(429);
    expect((await loginFrom("192.0.2.78", victim.input.email, victim.input.password)).status).toBe(200);
  });

  it("10 failures on one account from one address block that pair, and only that address", async () => {
    const { input } = await signUp(server);
    for (let i = 0; i < 10; i++)
      expect((await loginFrom("198.51.100.5", input.email, WRONG)).status).toBe(401);
    expect((await loginFrom("198.51.100.5", input.username, input.password)).status).toBe(429);
    expect((await loginFrom("198.51.100.6", input.username, input.password)).status).toBe(200);
  });

  it("uses the right-most X-Forwarded-For hop: a client varying the left-most cannot escape its address's count", async () => {
    for (let i = 0; i < 10; i++) {
      const response = await loginFrom(`${i}.${i}.${i}.${i}, 203.0.113.9`, `ghost${i}`, WRONG);
      expect(response.status).toBe(401);
    }
    expect((await loginFrom("8.8.8.8, 203.0.113.9", "ghost-next", WRONG)).status).toBe(429);
    expect((await loginFrom("203.0.113.9, 203.0.113.10", "ghost-next", WRONG)).status).toBe(401);
  });

  it("fewer than 10 failures do not block, and a success clears the account's count", async () => {
    const { input } = await signUp(server);
    for (let i = 0; i < 9; i++) await loginFrom(`10.2.0.${i}`, input.username, WRONG);
    expect((await loginFrom("10.2.1.1", input.username, input.password)).status).toBe(200);
    for (let i = 0; i < 9; i++) await loginFrom(`10.2.2.${i}`, input.username, WRONG);
    expect(
      await failureOf(server.client().auth.login.mutate({ login: input.username, password: WRONG })),
    ).toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("the throttle holds under parallel requests", () => {
  it("100 concurrent wrong guesses for one account: at most 10 are evaluated, the rest refused", async () => {
    const { user, input } = await signUp(server);
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        loginFrom("198.18.0.1", i % 2 === 0 ? input.username : input.email, WRONG),
      ),
    );
    const statuses = responses.map((r) => r.status);
    const evaluated = statuses.filter((s) => s === 401).length;
    expect(evaluated).toBeGreaterThan(0);
    expect(evaluated).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - evaluated);
    // Every evaluated guess left exactly one failure on the account: no more got through.
    expect(await failureRows(`account:${user.id}`)).toBe(evaluated);
  });
});

describe("auth.changePassword is throttled like sign-in", () => {
  it("10 wrong current passwords block the 11th attempt, even a right one, and count toward sign-in", async () => {
    const { token, user, input } = await signUp(server);
    const changeFrom = (address: string, currentPassword: string) =>
      server.post(
        "auth.changePassword",
        JSON.stringify({ json: { currentPassword, newPassword: "another-fine-passphrase" } }),
        { "x-forwarded-for": address, authorization: `Bearer ${token}` },
      );
    for (let i = 0; i < 10; i++) expect((await changeFrom("10.7.0.1", WRONG)).status).toBe(401);
    const blocked = await changeFrom("10.7.0.1", input.password);
    expect(blocked.status).toBe(429);
    expect(((await blocked.json()) as ErrorBody).error.json.data.code).toBe("TOO_MANY_REQUESTS");
    expect(await failureRows(`account:${user.id}`)).toBe(10);
    // The same address is refused at sign-in as well: one count for both ways of guessing.
    expect((await loginFrom("10.7.0.1", input.email, input.password)).status).toBe(429);
    // The owner elsewhere still signs in, and the change works from there.
    expect((await loginFrom("10.7.0.2", input.email, input.password)).status).toBe(200);
  });
});

describe("a deactivated account", () => {
  it("answers a wrong and a right password the same: same status, code and message", async () => {
    const admin = await signUpAs(server, "admin");
    const { user, input } = await signUp(server);
    await admin.client.admin.users.update.mutate({ userId: user.id, active: false });
    const wrong = await loginFrom("10.9.0.1", input.email, WRONG);
    const right = await loginFrom("10.9.0.2", input.email, input.password);
    const unknown = await loginFrom("10.9.0.3", "nobody-at-all@example.com", WRONG);
    expect(wrong.status).toBe(401);
    expect(right.status).toBe(401);
    expect(unknown.status).toBe(401);
    const bodies = (await Promise.all([wrong, right, unknown].map((r) => r.json()))) as ErrorBody[];
    const shapes = bodies.map((b) => ({ code: b.error.json.data.code, message: b.error.json.message }));
    expect(shapes[0]).toEqual({ code: "UNAUTHORIZED", message: "Invalid login or password." });
    expect(shapes[1]).toEqual(shapes[0]);
    expect(shapes[2]).toEqual(shapes[0]);
  });
});
