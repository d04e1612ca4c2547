import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountingEnv, costOf, fundedUser, TEST_MODEL } from "../support/accounting.ts";
import { expectLedgerConsistent } from "../support/ledger.ts";
import { externalJwt, JWT_SECRET, rest } from "../support/rest.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

interface ErrorBody {
  error: { code: string; message: string; detail?: Record<string, unknown>; issues?: unknown[] };
}
interface Reservation {
  sessionId: string;
  status: string;
  held: number;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { ...accountingEnv, JWT_ACCESS_SECRET: JWT_SECRET } });
});
afterAll(() => server?.close());

/** check → initialize → finalize, then balance and usage stats: the original client's flow. */
async function originalFlow(token: string, startCredits: number) {
  const check = await rest(server, "POST", "/api/credits/check", { token, body: { requiredCredits: 10 } });
  expect(check).toMatchObject({ status: 200, body: { sufficient: true, available: startCredits } });

  const init = await rest<Reservation>(server, "POST", "/api/streaming-sessions/initialize", {
    token,
    body: { modelId: TEST_MODEL, estimatedTokens: { input: 100, output: 50 } },
  });
  expect(init.status).toBe(200);
  expect(init.body).toMatchObject({ status: "open", held: costOf(100, 50) });
  const { sessionId } = init.body;

  const active = await rest<Reservation[]>(server, "GET", "/api/streaming-sessions/active", { token });
  expect(active.body.map((r) => r.sessionId)).toContain(sessionId);

  const final = await rest(server, "POST", "/api/streaming-sessions/finalize", {
    token,
    body: { sessionId, actualTokens: { input: 80, output: 40 } },
  });
  expect(final).toMatchObject({ status: 200, body: { creditsCharged: costOf(80, 40) } });

  const balance = await rest(server, "GET", "/api/credits/balance", { token });
  expect(balance).toMatchObject({
    status: 200,
    body: { balance: startCredits - costOf(80, 40), held: 0, available: startCredits - costOf(80, 40) },
  });
  const stats = await rest<{ totals: Record<string, number> }>(server, "GET", "/api/usage/stats", { token });
  expect(stats.status).toBe(200);
  expect(stats.body.totals).toMatchObject({ credits: costOf(80, 40), inputTokens: 80, outputTokens: 40 });
  return sessionId;
}

describe("the original accounting REST API", () => {
  it("replays the original flow with a Parley session token, as plain JSON", async () => {
    const { user } = await fundedUser(server, 1000);
    await originalFlow(user.token, 1000);
    await expectLedgerConsistent(server.db, user.user.id);
  });

  it("replays it with an external HS256 JWT: the user is created on first sight, then found", async () => {
    const admin = await signUpAs(server, "admin");
    const claims = { sub: "ext-42", username: "Jwt.Person", email: `jwt${Date.now()}@example.com` };
    const token = await externalJwt(claims);

    const first = await rest(server, "GET", "/api/credits/balance", { token });
    expect(first).toMatchObject({ status: 200, body: { balance: 0 } });
    const [created] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ id: string; username: string; role: string }[]>(
        "select id, username, role from users where email = ?",
        [claims.email],
      );
    expect(created).toMatchObject({ username: "jwt.person", role: "user" });

    const allocate = await rest(server, "POST", "/api/credits/allocate", {
      token: admin.token,
      body: { userId: created?.id, credits: 500, notes: "for the JWT user" },
    });
    expect(allocate.status).toBe(200);
    await originalFlow(await externalJwt(claims), 500);
    await expectLedgerConsistent(server.db, created?.id ?? "");
  });

  it("refuses expired, badly signed and malformed JWTs with 401", async () => {
    const claims = { sub: "ext-7", username: "someone", email: "someone@example.com" };
    const expired = await externalJwt(claims, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const forged = await externalJwt(claims, { secret: "not-the-shared-secret-at-all" });
    for (const token of [expired, forged, `${forged}x`, "a.b.c"]) {
      const reply = await rest<ErrorBody>(server, "GET", "/api/credits/balance", { token });
      expect(reply.status).toBe(401);
      expect(reply.body.error.code).toBe("UNAUTHORIZED");
    }
    expect((await rest(server, "GET", "/api/credits/balance")).status).toBe(401);
  });

  it("a JWT works on /trpc too; a deactivated user's JWT stops working at once", async () => {
    const admin = await signUpAs(server, "admin");
    const email = `deact${Date.now()}@example.com`;
    const token = await externalJwt({ sub: "ext-9", username: "deact", email });
    const me = await server.client(token).auth.me.query();
    expect(me).toMatchObject({ email, role: "user" });
    await admin.client.admin.users.update.mutate({ userId: me.id, active: false });
    expect((await rest(server, "GET", "/api/credits/balance", { token })).status).toBe(401);
  });

  it("takes the JWT's role: an admin token may read system statistics", async () => {
    const token = await externalJwt({
      sub: "ext-admin",
      username: "ext-admin",
      email: `extadmin${Date.now()}@example.com`,
      role: "admin",
    });
    const stats = await rest(server, "GET", "/api/usage/system-stats?topUsers=3", { token });
    expect(stats.status).toBe(200);
    expect(stats.body).toHaveProperty("totals");
  });

  it("the same roles as the procedures", async () => {
    const { admin, user } = await fundedUser(server, 100);
    const supervisor = await signUpAs(server, "supervisor");
    const other = await signUp(server);

    const mine = await rest(server, "GET", `/api/credits/balance/${other.user.id}`, { token: user.token });
    expect(mine.status).toBe(403);
    const byId = await rest(server, "GET", `/api/credits/balance/${user.user.id}`, {
      token: supervisor.token,
    });
    expect(byId).toMatchObject({ status: 200, body: { balance: 100, user: { id: user.user.id } } });
    const byEmail = await rest(
      server,
      "GET",
      `/api/credits/balance/${encodeURIComponent(user.input.email)}`,
      {
        token: supervisor.token,
      },
    );
    expect(byEmail).toMatchObject({ status: 200, body: { user: { id: user.user.id } } });

    expect(
      (await rest(server, "GET", "/api/streaming-sessions/active/all", { token: supervisor.token })).status,
    ).toBe(403);
    expect(
      (await rest(server, "GET", "/api/streaming-sessions/active/all", { token: admin.token })).status,
    ).toBe(200);
    expect(
      (
        await rest(server, "GET", `/api/streaming-sessions/active/${user.user.id}`, {
          token: supervisor.token,
        })
      ).status,
    ).toBe(200);
    expect(
      (await rest(server, "GET", "/api/streaming-sessions/recent?limit=5", { token: user.token })).status,
    ).toBe(403);
    const recent = await rest<unknown[]>(
      server,
      "GET",
      `/api/streaming-sessions/recent/${user.user.id}?limit=5`,
      {
        token: supervisor.token,
      },
    );
    expect(recent.status).toBe(200);
    expect(Array.isArray(recent.body)).toBe(true);
    expect((await rest(server, "GET", "/api/usage/system-stats", { token: supervisor.token })).status).toBe(
      403,
    );
    expect(
      (await rest(server, "GET", `/api/usage/stats/${user.user.id}`, { token: supervisor.token })).status,
    ).toBe(200);
    expect(
      (await rest(server, "GET", `/api/usage/stats/${user.user.id}`, { token: user.token })).status,
    ).toBe(403);
    const set = await rest(server, "POST", "/api/credits/set", {
      token: user.token,
      body: { userId: user.user.id, credits: 1_000_000 },
    });
    expect(set.status).toBe(403);
  });

  it("admin credit movements: allocate, set, remove (DELETE), adjust (PUT)", async () => {
    const { admin, user } = await fundedUser(server, 0);
    const token = admin.token;
    const target = { userId: user.user.id };
    expect(
      (await rest(server, "POST", "/api/credits/allocate", { token, body: { ...target, credits: 300 } }))
        .status,
    ).toBe(200);
    expect(
      (await rest(server, "POST", "/api/credits/set", { token, body: { ...target, credits: 250 } })).status,
    ).toBe(200);
    expect(
      (await rest(server, "DELETE", "/api/credits/remove", { token, body: { ...target, credits: 50 } }))
        .status,
    ).toBe(200);
    expect(
      (await rest(server, "PUT", "/api/credits/adjust", { token, body: { ...target, adjustment: -20 } }))
        .status,
    ).toBe(200);
    const balance = await rest(server, "GET", "/api/credits/balance", { token: user.token });
    expect(balance.body).toMatchObject({ balance: 180 });
    await expectLedgerConsistent(server.db, user.user.id);
  });

  it("calculate, abort and direct usage records", async () => {
    const { user } = await fundedUser(server, 1000);
    const token = user.token;
    const calc = await rest(server, "POST", "/api/credits/calculate", {
      token,
      body: { modelId: TEST_MODEL, inputTokens: 10, outputTokens: 5 },
    });
    expect(calc).toMatchObject({ status: 200, body: { credits: costOf(10, 5) } });
    const init = await rest<Reservation>(server, "POST", "/api/streaming-sessions/initialize", {
      token,
      body: { modelId: TEST_MODEL, estimatedTokens: { input: 10, output: 100 } },
    });
    const abort = await rest(server, "POST", "/api/streaming-sessions/abort", {
      token,
      body: { sessionId: init.body.sessionId, tokensGenerated: 7 },
    });
    expect(abort).toMatchObject({ status: 200, body: { creditsCharged: costOf(10, 7) } });
    const record = await rest(server, "POST", "/api/usage/record", {
      token,
      body: { service: "summariser", operation: "summarise", credits: 5 },
    });
    expect(record.status).toBe(200);
    expect((await rest(server, "GET", "/api/credits/balance", { token })).body).toMatchObject({
      balance: 1000 - costOf(10, 7) - 5,
    });
    await expectLedgerConsistent(server.db, user.user.id);
  });

  it("bad input is a JSON 4xx with the right status, never a 500", async () => {
    const { admin, user } = await fundedUser(server, 10);
    const token = user.token;
    const cases: [string, string, { body?: unknown; rawBody?: string; token?: string }, number, string][] = [
      ["POST", "/api/credits/check", { rawBody: "{not json" }, 400, "BAD_REQUEST"],
      ["POST", "/api/credits/check", { body: { requiredCredits: "lots" } }, 400, "BAD_REQUEST"],
      ["POST", "/api/credits/check", {}, 400, "BAD_REQUEST"],
      ["POST", "/api/credits/check", { body: [1, 2] }, 400, "BAD_REQUEST"],
      [
        "POST",
        "/api/streaming-sessions/finalize",
        { body: { sessionId: "nope", actualTokens: {} } },
        400,
        "BAD_REQUEST",
      ],
      [
        "POST",
        "/api/streaming-sessions/initialize",
        { body: { modelId: TEST_MODEL, estimatedTokens: { input: 100_000, output: 100_000 } } },
        402,
        "PAYMENT_REQUIRED",
      ],
      [
        "POST",
        "/api/streaming-sessions/finalize",
        { body: { sessionId: crypto.randomUUID(), actualTokens: { input: 1, output: 1 } } },
        404,
        "NOT_FOUND",
      ],
      ["GET", "/api/credits/balance/not-a-uuid", { token: admin.token }, 400, "BAD_REQUEST"],
      [
        "GET",
        `/api/credits/balance/${encodeURIComponent("ghost@example.com")}`,
        { token: admin.token },
        404,
        "NOT_FOUND",
      ],
      ["GET", "/api/streaming-sessions/recent?limit=many", { token: admin.token }, 400, "BAD_REQUEST"],
      ["GET", "/api/usage/stats?from=yesterday-ish", {}, 400, "BAD_REQUEST"],
      [
        "POST",
        "/api/credits/allocate",
        { token: admin.token, body: { userId: user.user.id, credits: 1.5 } },
        400,
        "BAD_REQUEST",
      ],
    ];
    for (const [method, path, options, status, code] of cases) {
      const reply = await rest<ErrorBody>(server, method, path, { token, ...options });
      expect({ method, path, status: reply.status, code: reply.body.error?.code }).toEqual({
        method,
        path,
        status,
        code,
      });
      expect(reply.contentType).toContain("application/json");
    }
    const payment = await rest<ErrorBody>(server, "POST", "/api/streaming-sessions/initialize", {
      token,
      body: { modelId: TEST_MODEL, estimatedTokens: { input: 100_000, output: 0 } },
    });
    expect(payment.body.error.detail).toMatchObject({ available: 10 });
  });

  it("a body over 1 MiB is a 413", async () => {
    const { user } = await fundedUser(server, 10);
    const reply = await rest<ErrorBody>(server, "POST", "/api/usage/record", {
      token: user.token,
      rawBody: JSON.stringify({
        service: "x",
        operation: "y",
        credits: 1,
        metadata: { pad: "x".repeat(1_100_000) },
      }),
    });
    expect(reply.status).toBe(413);
    expect(reply.body.error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("settling a reservation two different ways is a 409", async () => {
    const { user } = await fundedUser(server, 1000);
    const token = user.token;
    const init = await rest<Reservation>(server, "POST", "/api/streaming-sessions/initialize", {
      token,
      body: { modelId: TEST_MODEL, estimatedTokens: { input: 1, output: 1 } },
    });
    const { sessionId } = init.body;
    await rest(server, "POST", "/api/streaming-sessions/abort", {
      token,
      body: { sessionId, tokensGenerated: 0 },
    });
    const again = await rest<ErrorBody>(server, "POST", "/api/streaming-sessions/finalize", {
      token,
      body: { sessionId, actualTokens: { input: 1, output: 1 } },
    });
    expect(again.status).toBe(409);
  });

  it("cookie-authenticated writes from a foreign origin are refused (CSRF), reads are not", async () => {
    const { user } = await fundedUser(server, 10);
    const cookie = { cookie: `parley_session=${user.token}`, origin: "https://evil.example" };
    const read = await rest(server, "GET", "/api/credits/balance", { headers: cookie });
    expect(read.status).toBe(200);
    const write = await rest(server, "POST", "/api/usage/record", {
      headers: cookie,
      body: { service: "x", operation: "y", credits: 1 },
    });
    expect(write.status).toBe(403);
  });

  it("health", async () => {
    expect(await rest(server, "GET", "/api/health")).toMatchObject({ status: 200, body: { status: "ok" } });
  });
});

describe("unknown paths", () => {
  it("are JSON 404s under /api, /trpc, /v1 and /metrics, whatever the method", async () => {
    for (const [method, path] of [
      ["GET", "/api/nope"],
      ["POST", "/api/credits/nope"],
      ["GET", "/api/credits"],
      ["DELETE", "/api/health"],
      ["GET", "/trpc/nope.nothing"],
      ["POST", "/v1/nothing-here"],
      ["GET", "/v1/nothing/here"],
      ["GET", "/metrics/nothing"],
    ] as const) {
      const reply = await rest(server, method, path);
      expect({ path, status: reply.status, json: reply.contentType?.includes("application/json") }).toEqual({
        path,
        status: 404,
        json: true,
      });
    }
  });

  it("the SPA still serves its deep links", async () => {
    const reply = await rest<string>(server, "GET", "/chat/some-session-id");
    expect(reply.status).toBe(200);
    expect(reply.contentType).toContain("text/html");
    expect(reply.body).toContain('<div id="root">');
  });
});
