import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import { awsCredentialsAvailable } from "@parley/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { expectLedgerConsistent } from "../support/ledger.ts";
import { startTestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

// The AWS credential chain reads the process environment: each test sets up its own and the
// original comes back afterwards. No real AWS: files point nowhere, metadata services are local.
const savedEnv = { ...process.env };
const AWS_VARS = Object.keys(process.env).filter((name) => name.startsWith("AWS_"));
beforeEach(() => {
  for (const name of AWS_VARS) delete process.env[name];
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(import.meta.dirname, "no-such-credentials");
  process.env.AWS_CONFIG_FILE = join(import.meta.dirname, "no-such-config");
  process.env.AWS_EC2_METADATA_DISABLED = "true";
});
afterEach(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith("AWS_")) delete process.env[name];
  Object.assign(process.env, savedEnv);
});

/** A loopback HTTP server answering like an AWS metadata service. */
async function metadataServer(handle: (path: string, method: string) => string | null): Promise<{
  url: string;
  close(): Promise<void>;
}> {
  const server: Server = createServer((req, res) => {
    const body = handle(req.url ?? "", req.method ?? "GET");
    if (body === null) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const FAKE_CREDENTIALS = {
  AccessKeyId: "AKIAFAKEFAKEFAKE",
  SecretAccessKey: "fake-secret",
  Token: "fake-session-token",
  Expiration: new Date(Date.now() + 3_600_000).toISOString(),
};

describe("demo-mode detection through the AWS SDK's full credential chain", () => {
  it("finds nothing when there is nothing", async () => {
    expect(await awsCredentialsAvailable()).toBe(false);
  });

  it("finds environment keys", async () => {
    process.env.AWS_ACCESS_KEY_ID = "AKIAFAKEFAKEFAKE";
    process.env.AWS_SECRET_ACCESS_KEY = "fake-secret";
    expect(await awsCredentialsAvailable()).toBe(true);
  });

  it("finds an instance role (EC2 metadata service, IMDSv2), so the server does not start in demo mode", async () => {
    const imds = await metadataServer((path, method) => {
      if (method === "PUT" && path === "/latest/api/token") return "imds-session-token";
      if (/\/security-credentials(-extended)?\/$/.test(path)) return "parley-role";
      if (/\/security-credentials(-extended)?\/parley-role$/.test(path)) {
        return JSON.stringify({ Code: "Success", Type: "AWS-HMAC", ...FAKE_CREDENTIALS });
      }
      return null;
    });
    delete process.env.AWS_EC2_METADATA_DISABLED;
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = imds.url;
    try {
      expect(await awsCredentialsAvailable()).toBe(true);
      const server = await startTestServer({ env: { REGISTRATION: "" } });
      try {
        // Not a demo: registration defaults to invitations.
        expect(await server.client().auth.registrationMode.query()).toMatchObject({ mode: "invite" });
      } finally {
        await server.close();
      }
    } finally {
      await imds.close();
    }
  });

  it("finds a container (task) role", async () => {
    const ecs = await metadataServer((path) => (path === "/creds" ? JSON.stringify(FAKE_CREDENTIALS) : null));
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `${ecs.url}/creds`;
    try {
      expect(await awsCredentialsAvailable()).toBe(true);
    } finally {
      await ecs.close();
    }
  });

  it("gives up after its timeout when a metadata service never answers", async () => {
    const silent = createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `http://127.0.0.1:${port}/creds`;
    try {
      expect(await awsCredentialsAvailable({ timeoutMs: 500 })).toBe(false);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe("demo credits", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  const start = (demo: boolean) =>
    startTestServer({
      env: { DATABASE_URL: database.url, DEMO_MODE: String(demo), SIGNUP_CREDITS: demo ? "500" : "0" },
    });

  it("are an expiring demo grant, removed through the ledger when the server starts outside demo mode", async () => {
    const demo = await start(true);
    let newcomerId: string;
    let fundedId: string;
    try {
      const newcomer = await signUp(demo);
      newcomerId = newcomer.user.id;
      const [grant] = await newcomer.client.accounting.grants.query();
      expect(grant).toMatchObject({
        amount: 500,
        remaining: 500,
        source: "demo",
        notes: "demo credits",
        grantedBy: null,
      });
      const days = ((grant?.expiresAt?.getTime() ?? 0) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThanOrEqual(30);
      // Some of it is spent; real credits from an admin are not demo credits.
      await newcomer.client.accounting.usage.record.mutate({
        service: "test",
        operation: "spend",
        credits: 120,
      });
      const admin = await signUpAs(demo, "admin");
      const funded = await signUp(demo);
      fundedId = funded.user.id;
      await admin.client.admin.credits.allocate.mutate({
        userId: fundedId,
        credits: 70,
        notes: "real credits",
      });
    } finally {
      await demo.close();
    }

    const real = await start(false);
    try {
      const rows = await real.db.em
        .fork()
        .getConnection()
        .execute<{ user_id: string; balance: string }[]>(
          "select user_id, balance from credit_accounts where user_id in (?, ?) order by user_id",
          [newcomerId, fundedId],
        );
      const balances = Object.fromEntries(rows.map((r) => [r.user_id, Number(r.balance)]));
      expect(balances[newcomerId]).toBe(0);
      // The funded user's demo grant went; the admin's 70 stayed.
      expect(balances[fundedId]).toBe(70);
      const [entry] = await real.db.em
        .fork()
        .getConnection()
        .execute<{ type: string; amount: string; actor_id: string | null; notes: string }[]>(
          "select type, amount, actor_id, notes from ledger_entries where user_id = ? order by id desc limit 1",
          [newcomerId],
        );
      expect(entry).toMatchObject({ type: "expire", amount: "-380", actor_id: null });
      expect(entry?.notes).toMatch(/demo credits removed/);
      for (const id of [newcomerId, fundedId]) await expectLedgerConsistent(real.db, id);
    } finally {
      await real.close();
    }
    // A second start outside demo mode finds nothing left to remove.
    const again = await start(false);
    await again.close();
  });
});
