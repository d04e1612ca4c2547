// Real server processes (`node apps/server/src/main.ts`), for what one process cannot show: two
// processes sharing one database and one Redis, and a process killed with SIGKILL mid-answer.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { type FakeBedrock, startFakeBedrock } from "@parley/agent/fake-bedrock";
import { createParleyClient, type ParleyClient } from "@parley/client";
import { type Database, openDatabase } from "@parley/db";
import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import type { TestServer } from "./server.ts";

const root = join(import.meta.dirname, "..", "..");

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote (logs and banner). */
  output(): string;
  client(token?: string): ParleyClient;
  /** SIGKILL: no shutdown, no chance to settle anything. */
  kill(): Promise<void>;
  /** SIGTERM: the graceful shutdown. */
  stop(): Promise<void>;
}

/** A free loopback port (so a restarted process can come back on the same address). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * Starts a server process and waits until it says where it listens. `npmStart`: through
 * `scripts/parley.sh serve`, the last step of `npm start`, with the Node flags it adds.
 */
export function startServerProcess(
  env: Record<string, string>,
  options: { npmStart?: boolean } = {},
): Promise<ServerProcess> {
  const [command, args] = options.npmStart
    ? ["bash", [join(root, "scripts/parley.sh"), "serve"]]
    : [process.execPath, [join(root, "apps/server/src/main.ts")]];
  const child = spawn(command, args, {
    env: {
      ...process.env,
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
      SIGNUP_CREDITS: "0",
      // Tests register their own users (outside demo mode the default is "invite").
      REGISTRATION: "open",
      DEMO_MODE: "false",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      STREAM_COALESCE_MS: "0",
      // One process each (with REDIS_URL the default is one per core): tests that want workers say so.
      PARLEY_WORKERS: "1",
      WEB_DIST_DIR: join(root, "apps", "web", "dist"),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let seen = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      seen += data.toString();
      const match = /Parley is running: (\S+)/.exec(seen);
      if (!match?.[1]) return;
      const url = match[1];
      resolve({
        url,
        child,
        output: () => seen,
        client: (token) => createParleyClient({ url, ...(token ? { token } : {}) }),
        async kill() {
          child.kill("SIGKILL");
          await exited;
        },
        async stop() {
          if (child.exitCode === null) child.kill("SIGTERM");
          await exited;
        },
      });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${seen}`)));
  });
}

/** A private Redis server (so a test can stop and restart it without disturbing anyone else). */
export async function startRedis(
  port?: number,
): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const chosen = port ?? (await freePort());
  const child = spawn(
    "redis-server",
    ["--port", String(chosen), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let seen = "";
    child.stdout?.on("data", (data: Buffer) => {
      seen += data.toString();
      if (/Ready to accept connections/.test(seen)) resolve();
    });
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${seen}`)));
  });
  return {
    url: `redis://127.0.0.1:${chosen}`,
    port: chosen,
    async stop() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

export interface Cluster {
  servers: ServerProcess[];
  fake: FakeBedrock;
  databaseUrl: string;
  db: Database;
  /** A TestServer view of server i, for the user helpers (signUp, signUpAs). */
  view(i: number): TestServer;
  close(): Promise<void>;
}

/** n server processes on one fresh database (and one Redis when `redisUrl` is given). */
export async function startCluster(options: {
  processes: number;
  redisUrl?: string | undefined;
  env?: Record<string, string>;
}): Promise<Cluster> {
  const fake = await startFakeBedrock();
  const database: TestDatabase = await createTestDatabase();
  const env = {
    DATABASE_URL: database.url,
    BEDROCK_ENDPOINT: fake.url,
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.env,
  };
  const servers = await Promise.all(Array.from({ length: options.processes }, () => startServerProcess(env)));
  const db = await openDatabase({ url: database.url, poolSize: 2 });
  return {
    servers,
    fake,
    databaseUrl: database.url,
    db,
    view: (i) => {
      const server = servers[i] as ServerProcess;
      return {
        url: server.url,
        db,
        client: (token) => server.client(token),
        post: (path, body, headers = {}) =>
          fetch(`${server.url}/trpc/${path}`, {
            method: "POST",
            headers: { "content-type": "application/json", ...headers },
            body,
          }),
        close: () => server.stop(),
      };
    },
    async close() {
      await Promise.all(servers.map((s) => s.stop()));
      await db.close();
      await fake.close();
      await database.drop();
    },
  };
}
