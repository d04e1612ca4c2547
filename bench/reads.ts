// pnpm bench:reads — authenticated reads against `/healthz` in the same run. A real server process
// on a scratch database; autocannon holds BENCH_CONNECTIONS (50) keep-alive connections and sends
// tRPC GETs with a bearer token. Two runs: "before" with the session cache off
// (AUTH_CACHE_TTL_MS=0: every request validates its session in PostgreSQL) and "after" with it on
// (the default). Prints req/s of each path and its ratio to /healthz measured in the same run.
//
// Needs DATABASE_URL (a PostgreSQL server; a scratch database is created and dropped).
// BENCH_CONNECTIONS (50), BENCH_DURATION (seconds per path, 10).
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { openDatabase } from "@parley/db";
import { createTestDatabase } from "@parley/db/testing";
import autocannon from "autocannon";

const root = join(import.meta.dirname, "..");
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const duration = Number(process.env.BENCH_DURATION ?? 10);

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error(
    "Set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres).",
  );
  process.exit(1);
}
process.env.TEST_DATABASE_URL = serverUrl;
const database = await createTestDatabase("parley_bench");
try {
  const token = await createUser(database.url);
  console.log(`reads benchmark: ${connections} keep-alive connections, ${duration} s per path\n`);
  console.log("run     path                   req/s   × /healthz   p99 ms");
  for (const [run, cacheTtlMs] of [
    ["before", "0"],
    ["after", "5000"],
  ] as const) {
    const server = await startServer({ AUTH_CACHE_TTL_MS: cacheTtlMs });
    try {
      const paths = [
        ["/healthz", "/healthz"],
        ["auth.me", "/trpc/auth.me"],
        ["accounting.balance", "/trpc/accounting.balance"],
      ] as const;
      let reference = 0;
      for (const [name, path] of paths) {
        const url = `${server.url}${path}`;
        await load(url, token, 2); // warm up: JIT, pools, cache
        const result = await load(url, token, duration);
        if (name === "/healthz") reference = result.perSecond;
        console.log(
          [
            run.padEnd(7),
            name.padEnd(20),
            result.perSecond.toFixed(0).padStart(7),
            (result.perSecond / reference).toFixed(3).padStart(12),
            result.p99.toFixed(1).padStart(8),
          ].join(" "),
        );
      }
    } finally {
      await server.stop();
    }
  }
} finally {
  await database.drop();
}

async function load(url: string, token: string, seconds: number) {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return { perSecond: result.requests.average, p99: result.latency.p99 };
}

/** A user with a session token and an account row, written straight to the database. */
async function createUser(url: string): Promise<string> {
  const db = await openDatabase({ url, poolSize: 1 });
  const connection = db.em.getConnection();
  const token = randomBytes(20).toString("hex");
  const [user] = await connection.execute<{ id: string }[]>(
    `insert into users (id, email, username, display_name, password_hash)
     values (gen_random_uuid(), 'reads@example.com', 'reads', 'Bench', 'x') returning id`,
  );
  await connection.execute(
    "insert into auth_sessions (id, user_id, expires_at) values (?, ?, now() + interval '30 days')",
    [createHash("sha256").update(token).digest("hex"), user?.id],
  );
  await connection.execute("select parley_admin_move(?, null, 'allocate', 1000, null, 'bench')", [user?.id]);
  await db.close();
  return token;
}

function startServer(env: Record<string, string>) {
  return new Promise<{ url: string; stop(): Promise<void> }>((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [join(root, "apps/server/src/main.ts")], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        PORT: "0",
        LOG_LEVEL: "warn",
        DEMO_MODE: "false",
        SIGNUP_CREDITS: "0",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    let seen = "";
    const onData = (data: Buffer) => {
      seen += data.toString();
      const match = /Parley is running: (\S+)/.exec(seen);
      if (match?.[1]) {
        resolve({
          url: match[1],
          async stop() {
            child.kill("SIGTERM");
            await exited;
          },
        });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${seen}`)));
  });
}
