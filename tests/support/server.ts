import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createParleyClient, type ParleyClient } from "@parley/client";
import { type Database, openDatabase } from "@parley/db";
import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import { createLogger, loadConfig, type RunningServer, startServer } from "@parley/server";

export interface TestServer {
  url: string;
  /** The database behind the server, for assertions on stored rows. */
  db: Database;
  /** A typed client; with a token it authenticates as that session (bearer). */
  client(token?: string): ParleyClient;
  /** Raw tRPC POST, for what the typed client cannot send (bad JSON, foreign Origin…). */
  post(path: string, body: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /**
   * "postgres" (default): a fresh database on the real server, unless env.DATABASE_URL names one;
   * "embedded": PGlite in a temp folder.
   */
  database?: "postgres" | "embedded";
  env?: Record<string, string>;
}

/** Starts the real Parley server (Hono + tRPC + migrations) on a free loopback port. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  let testDb: TestDatabase | undefined;
  let dataDir: string | undefined;
  const env: Record<string, string> = {
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    WEB_DIST_DIR: join(import.meta.dirname, "..", "..", "apps", "web", "dist"),
    // Balances in tests start at zero, whether or not the server runs in demo mode.
    SIGNUP_CREDITS: "0",
    // Tests register their own users, demo mode or not (outside it the default is "invite").
    REGISTRATION: "open",
    ...options.env,
  };
  if (options.database === "embedded") {
    dataDir = await mkdtemp(join(tmpdir(), "parley-embedded-"));
    env.DATA_DIR = dataDir;
  } else if (!env.DATABASE_URL) {
    testDb = await createTestDatabase();
    env.DATABASE_URL = testDb.url;
  }

  const config = loadConfig(env);
  let server: RunningServer;
  try {
    server = await startServer(config, createLogger(config.LOG_LEVEL));
  } catch (error) {
    await testDb?.drop();
    throw error;
  }
  // Beside an embedded database (one session for every connection), no named prepared statements.
  const db = await openDatabase({
    url: testDb?.url ?? server.databaseUrl,
    poolSize: 2,
    preparedStatements: options.database !== "embedded",
  });

  return {
    url: server.url,
    db,
    client: (token) => createParleyClient({ url: server.url, ...(token ? { token } : {}) }),
    post: (path, body, headers = {}) =>
      fetch(`${server.url}/trpc/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      }),
    async close() {
      await db.close();
      await server.close();
      await testDb?.drop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
