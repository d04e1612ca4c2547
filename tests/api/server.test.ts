import { createTestDatabase } from "@parley/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/errors.ts";
import { runNode } from "../support/node.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp } from "../support/users.ts";

describe("health endpoints", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("/healthz says the process is up; /readyz says the database is reachable and migrated", async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("every response carries a request id, and an incoming one is kept", async () => {
    const generated = await fetch(`${server.url}/healthz`);
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": "trace-abc-123" } });
    expect(kept.headers.get("x-request-id")).toBe("trace-abc-123");
  });

  it("/readyz reports pending migrations as not ready", async () => {
    const connection = server.db.em.fork().getConnection();
    const [row] = await connection.execute<{ name: string }[]>(
      "select name from mikro_orm_migrations limit 1",
    );
    await connection.execute("delete from mikro_orm_migrations");
    try {
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: "migrations-pending" });
    } finally {
      await connection.execute("insert into mikro_orm_migrations (name, executed_at) values (?, now())", [
        row?.name,
      ]);
    }
  });
});

describe("start-up configuration", () => {
  it("a bad value stops start-up with a message naming the variable", async () => {
    const result = await runNode("apps/server/src/main.ts", [], {
      PORT: "not-a-port",
      SESSION_TTL_DAYS: "0",
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/Invalid configuration/);
    expect(result.stderr).toMatch(/PORT/);
    expect(result.stderr).toMatch(/SESSION_TTL_DAYS/);
  });

  it("ADMIN_EMAIL / ADMIN_PASSWORD create the first admin at start, with the welcome credits", async () => {
    const server = await startTestServer({
      env: {
        ADMIN_EMAIL: "root@example.com",
        ADMIN_PASSWORD: "a-very-long-admin-secret",
        SIGNUP_CREDITS: "7500",
      },
    });
    try {
      const { user, token } = await server
        .client()
        .auth.login.mutate({ login: "root@example.com", password: "a-very-long-admin-secret" });
      expect(user.role).toBe("admin");
      await expect(server.client(token).admin.users.list.query({})).resolves.toBeTruthy();
      // The first admin can try the chat at once, like any newcomer.
      expect(await server.client(token).accounting.balance.query()).toMatchObject({ available: 7500 });
    } finally {
      await server.close();
    }
  });
});

describe("pnpm admin:create", () => {
  it("creates an admin in the configured database, and promotes an existing account only with --promote", async () => {
    const database = await createTestDatabase();
    try {
      const env = {
        DATABASE_URL: database.url,
        LOG_LEVEL: "silent",
        SIGNUP_CREDITS: "4200",
        DEMO_MODE: "false",
      };
      const created = await runNode(
        "apps/server/src/cli/create-admin.ts",
        ["--email", "Boss@Example.com", "--password", "long-admin-secret-9"],
        env,
      );
      expect(created.stdout).toMatch(/Admin created: boss@example.com/);
      expect(created.code).toBe(0);

      const weak = await runNode(
        "apps/server/src/cli/create-admin.ts",
        ["--email", "x@example.com", "--password", "short"],
        env,
      );
      expect(weak.code).toBe(1);
      expect(weak.stderr).toMatch(/at least 10 characters/);

      const server = await startTestServer({ env: { DATABASE_URL: database.url } });
      try {
        const { token } = await server
          .client()
          .auth.login.mutate({ login: "boss", password: "long-admin-secret-9" });
        await expect(server.client(token).admin.users.list.query({})).resolves.toMatchObject({ total: 1 });
        // A new admin gets the welcome credits; a promoted account (below) already had them.
        expect(await server.client(token).accounting.balance.query()).toMatchObject({ available: 4200 });

        // An existing account is never promoted silently...
        const existing = await signUp(server);
        const refused = await runNode(
          "apps/server/src/cli/create-admin.ts",
          ["--email", existing.input.email, "--password", "brand-new-admin-secret"],
          env,
        );
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/already exists.*--promote/);
        expect(await existing.client.auth.me.query()).toMatchObject({ role: "user" });

        // ...only with --promote, which also sets the given password and ends the account's sessions.
        const promoted = await runNode(
          "apps/server/src/cli/create-admin.ts",
          ["--email", existing.input.email, "--password", "brand-new-admin-secret", "--promote"],
          env,
        );
        expect(promoted.code).toBe(0);
        expect(promoted.stdout).toMatch(/is now an admin/);
        // The CLI changes the database directly: a server's session cache sees it when the cached
        // entry lapses (AUTH_CACHE_TTL_MS, 5 s), not at once.
        await expect
          .poll(async () => (await failureOf(existing.client.auth.me.query())).code, { timeout: 15_000 })
          .toBe("UNAUTHORIZED");
        expect(
          await failureOf(
            server
              .client()
              .auth.login.mutate({ login: existing.input.email, password: existing.input.password }),
          ),
        ).toMatchObject({ code: "UNAUTHORIZED" });
        const again = await server
          .client()
          .auth.login.mutate({ login: existing.input.email, password: "brand-new-admin-secret" });
        expect(again.user.role).toBe("admin");
      } finally {
        await server.close();
      }
    } finally {
      await database.drop();
    }
    // Four CLI runs, each a fresh Node process loading the workspace: slow on a busy machine.
  }, 120_000);
});

describe("graceful shutdown", () => {
  it("finishes the request in flight, then refuses new connections", async () => {
    const server = await startTestServer();
    const slowLogin = failureOf(
      server.client().auth.login.mutate({ login: "nobody", password: "some-password-here" }),
    );
    // Long enough for the request to reach the server (not for the login's hashing to finish).
    await new Promise((resolve) => setTimeout(resolve, 30));
    await server.close();
    // The in-flight login ran to its normal answer instead of being cut off.
    expect(await slowLogin).toMatchObject({ code: "UNAUTHORIZED" });
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
