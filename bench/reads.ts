// pnpm bench:reads — authenticated reads against `/healthz` in the same run. A real server process
// on a scratch database; autocannon holds BENCH_CONNECTIONS (50) keep-alive connections and sends
// tRPC GETs with a bearer token. Two runs: "before" with the session cache off
// (AUTH_CACHE_TTL_MS=0: every request validates its session in PostgreSQL) and "after" with it on
// (the default). Prints req/s of each path and its ratio to /healthz measured in the same run.
//
// Needs DATABASE_URL (a PostgreSQL server; a scratch database is created and dropped).
// BENCH_CONNECTIONS (50), BENCH_DURATION (seconds per path, 10).
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { openDatabase } from "@parley/db";
import { createTestDatabase } from "@parley/db/testing";
import autocannon from "autocannon";
import { startParleyServer } from "./child-process.ts";
import { useDatabaseServer } from "./database-server.ts";

const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const duration = Number(process.env.BENCH_DURATION ?? 10);

useDatabaseServer();
const database = await createTestDatabase("parley_bench");
try {
  const token = await createUser(database.url);
  console.log(`reads benchmark: ${connections} keep-alive connections, ${duration} s per path\n`);
  console.log("run     path                   req/s   × /healthz   p99 ms   CPU µs/req");
  for (const [run, cacheTtlMs] of [
    ["before", "0"],
    ["after", "5000"],
  ] as const) {
    const server = await startParleyServer(database.url, { AUTH_CACHE_TTL_MS: cacheTtlMs });
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
        const cpuBefore = cpuMs(server.pid);
        const result = await load(url, token, duration);
        const cpuPerRequest = ((cpuMs(server.pid) - cpuBefore) * 1000) / result.total;
        if (name === "/healthz") reference = result.perSecond;
        console.log(
          [
            run.padEnd(7),
            name.padEnd(20),
            result.perSecond.toFixed(0).padStart(7),
            (result.perSecond / reference).toFixed(3).padStart(12),
            result.p99.toFixed(1).padStart(8),
            Number.isFinite(cpuPerRequest) ? cpuPerRequest.toFixed(0).padStart(12) : "           -",
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
  return { perSecond: result.requests.average, p99: result.latency.p99, total: result.requests.total };
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

/** CPU time (user + system) the process has used so far, in ms; NaN where /proc is not there. */
function cpuMs(pid: number): number {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (1/100 s).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
