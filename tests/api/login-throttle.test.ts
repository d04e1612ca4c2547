import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/errors.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp } from "../support/users.ts";

// TRUST_PROXY lets each test pose as its own client address through X-Forwarded-For.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { TRUST_PROXY: "true" } });
});
afterAll(() => server?.close());

const loginFrom = (address: string, login: string, password: string) =>
  server.post("auth.login", JSON.stringify({ json: { login, password } }), { "x-forwarded-for": address });

type ErrorBody = {
  error: { json: { message: string; data: { code: string; detail: { retryAfterSeconds: number } } } };
};

describe("failed-login throttling", () => {
  it("after 10 failures for one login name, the next attempt gets TOO_MANY_REQUESTS with a retry time", async () => {
    const { input } = await signUp(server);
    for (let i = 0; i < 10; i++) {
      // Different addresses: only the login name's count can trip.
      const response = await loginFrom(`10.0.0.${i}`, input.username, "wrong-password-123");
      expect(response.status).toBe(401);
    }
    const blocked = await loginFrom("10.0.1.1", input.username, input.password);
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    const body = (await blocked.json()) as ErrorBody;
    expect(body.error.json.data.code).toBe("TOO_MANY_REQUESTS");
    expect(body.error.json.data.detail.retryAfterSeconds).toBe(retryAfter);
    expect(body.error.json.message).toMatch(/Try again in 15 minute/);

    // The email form of the same account is a different login name, so it is still allowed.
    expect((await loginFrom("10.0.1.2", input.email, input.password)).status).toBe(200);
  });

  it("after 10 failures from one address, that address is throttled for every login name", async () => {
    const victim = await signUp(server);
    const address = "192.0.2.77";
    for (let i = 0; i < 10; i++) {
      expect((await loginFrom(address, `nobody${i}`, "wrong-password-123")).status).toBe(401);
    }
    expect((await loginFrom(address, victim.input.email, victim.input.password)).status).toBe(429);
    expect((await loginFrom("192.0.2.78", victim.input.email, victim.input.password)).status).toBe(200);
  });

  it("fewer than 10 failures do not block, and a success clears the login name's count", async () => {
    const { input } = await signUp(server);
    for (let i = 0; i < 9; i++) await loginFrom(`10.2.0.${i}`, input.username, "wrong-password-123");
    expect((await loginFrom("10.2.1.1", input.username, input.password)).status).toBe(200);
    for (let i = 0; i < 9; i++) await loginFrom(`10.2.2.${i}`, input.username, "wrong-password-123");
    expect(
      await failureOf(
        server.client().auth.login.mutate({ login: input.username, password: "wrong-password-123" }),
      ),
    ).toMatchObject({ code: "UNAUTHORIZED" });
  });
});
