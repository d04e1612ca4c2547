// The zero-configuration default: PGlite in DATA_DIR, served over the PostgreSQL wire protocol.
// A smaller smoke set than the PostgreSQL suite; concurrency is tested on the real server only
// (PGlite serialises every transaction, so it would hide locking bugs).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createParleyClient, uploadAttachment } from "@parley/client";
import { openDatabase } from "@parley/db";
import { createLogger, loadConfig, type RunningServer, startServer } from "@parley/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { converse, eventsOfType } from "../support/chat.ts";
import { failureOf } from "../support/errors.ts";
import { png } from "../support/files.ts";
import { expectLedgerConsistent } from "../support/ledger.ts";
import { runNode } from "../support/node.ts";
import { startServerProcess } from "../support/processes.ts";
import { newUserInput } from "../support/users.ts";

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "parley-embedded-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const start = (env: Record<string, string> = {}): Promise<RunningServer> => {
  const config = loadConfig({
    HOST: "127.0.0.1",
    PORT: "0",
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    SIGNUP_CREDITS: "0",
    ...env,
  });
  return startServer(config, createLogger("silent"));
};

describe("embedded database", () => {
  const user = newUserInput();

  it("registers, logs in, reads the profile, logs out; and the CLI reaches the running server's database", async () => {
    const server = await start();
    try {
      expect(server.databaseDescription).toMatch(/embedded database/);
      expect(server.adminExists).toBe(false);
      const ready = await fetch(`${server.url}/readyz`);
      expect(await ready.json()).toEqual({ status: "ready" });

      const anonymous = createParleyClient({ url: server.url });
      await anonymous.auth.register.mutate(user);
      const { token } = await anonymous.auth.login.mutate({ login: user.username, password: user.password });
      const client = createParleyClient({ url: server.url, token });
      expect(await client.auth.me.query()).toMatchObject({ email: user.email });
      expect(await failureOf(anonymous.auth.register.mutate(user))).toMatchObject({ code: "CONFLICT" });

      // PGlite allows one process per data folder: the CLI goes through the running server's socket.
      const cli = await runNode(
        "apps/server/src/cli/create-admin.ts",
        ["--email", user.email, "--password", user.password, "--promote"],
        { DATA_DIR: dataDir },
      );
      expect(cli.stdout).toMatch(/is now an admin/);
      // Promotion sets the password and so ends the account's sessions (seen by the running server
      // once its session cache entry lapses: the CLI writes the database directly).
      await expect
        .poll(async () => (await failureOf(client.auth.me.query())).code, { timeout: 15_000 })
        .toBe("UNAUTHORIZED");
      const { token: adminToken } = await anonymous.auth.login.mutate({
        login: user.username,
        password: user.password,
      });
      const admin = createParleyClient({ url: server.url, token: adminToken });
      expect(await admin.auth.me.query()).toMatchObject({ role: "admin" });

      await admin.auth.logout.mutate();
      expect(await failureOf(admin.auth.me.query())).toMatchObject({ code: "UNAUTHORIZED" });
    } finally {
      await server.close();
    }
  });

  it("keeps the data across a restart", async () => {
    const server = await start();
    try {
      expect(server.adminExists).toBe(true);
      const { user: again } = await createParleyClient({ url: server.url }).auth.login.mutate({
        login: user.email,
        password: user.password,
      });
      expect(again.role).toBe("admin");
    } finally {
      await server.close();
    }
  });

  it("moves credits through the ledger functions (PL/pgSQL on PGlite)", async () => {
    const server = await start();
    const db = await openDatabase({ url: server.databaseUrl, poolSize: 1, preparedStatements: false });
    try {
      const { token } = await createParleyClient({ url: server.url }).auth.login.mutate({
        login: user.email,
        password: user.password,
      });
      const admin = createParleyClient({ url: server.url, token }); // promoted to admin above
      // Nobody moves credits on their own account: the admin funds a newcomer.
      const { user: me, token: newcomerToken } = await createParleyClient({
        url: server.url,
      }).auth.register.mutate(newUserInput());
      const newcomer = createParleyClient({ url: server.url, token: newcomerToken });
      await admin.admin.credits.allocate.mutate({
        userId: me.id,
        credits: 10_000,
        expiryDays: 30,
        notes: "smoke",
      });
      const [model] = await newcomer.accounting.models.query();
      const reservation = await newcomer.accounting.streaming.initialize.mutate({
        modelId: model?.modelId ?? "",
        estimatedTokens: { input: 100, output: 100 },
      });
      const settled = await newcomer.accounting.streaming.finalize.mutate({
        sessionId: reservation.sessionId,
        actualTokens: { input: 50, output: 20 },
      });
      expect(settled.creditsCharged).toBeGreaterThan(0);
      expect(await newcomer.accounting.balance.query()).toMatchObject({
        balance: 10_000 - settled.creditsCharged,
        held: 0,
      });
      await expectLedgerConsistent(db, me.id);
    } finally {
      await db.close();
      await server.close();
    }
  });
  it("searches chat titles with full-text search and serves a share link (tsvector, GIN on PGlite)", async () => {
    const server = await start();
    try {
      const { token } = await createParleyClient({ url: server.url }).auth.register.mutate(newUserInput());
      const client = createParleyClient({ url: server.url, token });
      const chat = await client.sessions.create.mutate({ title: "Embedded zeppelin notes" });
      await client.sessions.create.mutate({ title: "Something else" });
      const found = await client.sessions.search.query({ query: "zeppelin" });
      expect(found.items.map((hit) => hit.id)).toEqual([chat.id]);
      expect(found.items[0]?.titleSegments).toContainEqual({ text: "zeppelin", match: true });
      const { shareId } = await client.sessions.share.mutate({ sessionId: chat.id });
      const shared = await fetch(`${server.url}/api/shared/${shareId}`);
      expect(shared.status).toBe(200);
      expect(await shared.json()).toMatchObject({ title: "Embedded zeppelin notes", messages: [] });
    } finally {
      await server.close();
    }
  });

  it("stores an attachment and sends it with a message (bytea and parley_start_turn on PGlite)", async () => {
    // Demo mode: the fake Bedrock in-process.
    const server = await start({ DEMO_MODE: "true" });
    try {
      const anonymous = createParleyClient({ url: server.url });
      const { token: adminToken } = await anonymous.auth.login.mutate({
        login: user.email,
        password: user.password,
      });
      const { user: me, token } = await anonymous.auth.register.mutate(newUserInput());
      await createParleyClient({ url: server.url, token: adminToken }).admin.credits.allocate.mutate({
        userId: me.id,
        credits: 100_000,
      });
      const client = createParleyClient({ url: server.url, token });
      const image = png(30, 20);
      const { attachmentId } = await uploadAttachment({ url: server.url, token }, new Blob([image]), "p.png");
      const session = await client.sessions.create.mutate({});
      const events = await converse(client, {
        sessionId: session.id,
        content: "Look [[fake tokens=3]]",
        attachmentIds: [attachmentId],
      });
      expect(eventsOfType(events, "done")).toHaveLength(1);
      const got = await client.sessions.get.query({ sessionId: session.id });
      expect(got.messages[0]?.attachments).toEqual([
        expect.objectContaining({ id: attachmentId, kind: "image", width: 30, height: 20 }),
      ]);
      const served = await fetch(`${server.url}/api/attachments/${attachmentId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(Buffer.from(await served.arrayBuffer()).equals(image)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("serves a chat as `npm start` runs it (scripts/parley.sh serve, with the embedded database's Node flags)", async () => {
    const ownDataDir = await mkdtemp(join(tmpdir(), "parley-npm-start-"));
    const server = await startServerProcess(
      { DATABASE_URL: "", DATA_DIR: ownDataDir, DEMO_MODE: "true", SIGNUP_CREDITS: "10000" },
      { npmStart: true },
    );
    try {
      expect(server.output()).toMatch(/embedded database/);
      expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: "ready" });
      const { token } = await server.client().auth.register.mutate(newUserInput());
      const client = server.client(token);
      const session = await client.sessions.create.mutate({});
      const events = await converse(client, { sessionId: session.id, content: "Hello [[fake tokens=3]]" });
      expect(eventsOfType(events, "done")).toHaveLength(1);
      expect((await client.accounting.balance.query()).available).toBeLessThan(10_000);
    } finally {
      await server.stop();
      await rm(ownDataDir, { recursive: true, force: true });
    }
  });
});
