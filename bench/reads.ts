// pnpm bench:reads — authenticated reads against `/healthz` in the same run. A real server process
// on a scratch database; autocannon holds BENCH_CONNECTIONS (50) keep-alive connections and sends
// tRPC GETs, each with the bearer token of the next of BENCH_USERS (50) users in turn (many people
// reading at once, as a server sees them, not one user's reads: balance reads that arrive together
// go to PostgreSQL as one statement, which one user's identical reads would flatter). Two runs:
// "before" with the session cache off (AUTH_CACHE_TTL_MS=0: every request validates its session in
// PostgreSQL) and "after" with it on (the default). Prints req/s of each path and its ratio to
// /healthz measured in the same run.
// Each path's time is run as slices of BENCH_SLICE_SECONDS (2) in which the paths take turns, so a
// machine whose speed drifts during the run weighs on every path alike (as bench:ledger does).
//
// Needs DATABASE_URL (a PostgreSQL server; a scratch database is created and dropped).
// BENCH_CONNECTIONS (50), BENCH_USERS (50), BENCH_DURATION (seconds per path, 10),
// BENCH_SLICE_SECONDS (2).
import { readFileSync } from "node:fs";
import { createTestDatabase } from "@parley/db/testing";
import autocannon from "autocannon";
import { createBenchUsers } from "./bench-users.ts";
import { startParleyServer } from "./child-process.ts";
import { useDatabaseServer } from "./database-server.ts";

const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const userCount = Math.max(1, Number(process.env.BENCH_USERS ?? 50));
const sliceSeconds = Math.max(1, Math.round(Number(process.env.BENCH_SLICE_SECONDS ?? 2)));
const rounds = Math.max(1, Math.round(Number(process.env.BENCH_DURATION ?? 10) / sliceSeconds));
const paths = [
  ["/healthz", "/healthz"],
  ["auth.me", "/trpc/auth.me"],
  ["accounting.balance", "/trpc/accounting.balance"],
] as const;

useDatabaseServer();
const database = await createTestDatabase("parley_bench");
try {
  const tokens = (await createBenchUsers(database.url, userCount, { prefix: "reads", credits: 1000 })).map(
    (user) => user.token,
  );
  console.log(
    `reads benchmark: ${connections} keep-alive connections, ${userCount} users in turn, ${rounds * sliceSeconds} s per path (${rounds} rounds of ${sliceSeconds} s, the paths in turn)\n`,
  );
  console.log("run     path                   req/s   × /healthz   p99 ms   CPU µs/req");
  for (const [run, cacheTtlMs] of [
    ["before", "0"],
    ["after", "5000"],
  ] as const) {
    const server = await startParleyServer(database.url, { AUTH_CACHE_TTL_MS: cacheTtlMs });
    try {
      for (const [, path] of paths) await load(`${server.url}${path}`, tokens, 2); // warm up: JIT, pools, cache
      const totals = paths.map(([name, path]) => ({ name, path, requests: 0, seconds: 0, cpuMs: 0, p99: 0 }));
      for (let round = 0; round < rounds; round++) {
        for (const total of totals) {
          const cpuBefore = cpuMs(server.pid);
          const slice = await load(`${server.url}${total.path}`, tokens, sliceSeconds);
          total.cpuMs += cpuMs(server.pid) - cpuBefore;
          total.requests += slice.total;
          total.seconds += slice.seconds;
          // The worst slice's p99: a slice that met a slow moment is not averaged away.
          total.p99 = Math.max(total.p99, slice.p99);
        }
      }
      const rate = (total: { requests: number; seconds: number }) => total.requests / total.seconds;
      const reference = rate(totals[0] ?? { requests: 0, seconds: 1 });
      for (const total of totals) {
        const cpuPerRequest = (total.cpuMs * 1000) / total.requests;
        console.log(
          [
            run.padEnd(7),
            total.name.padEnd(20),
            rate(total).toFixed(0).padStart(7),
            (rate(total) / reference).toFixed(3).padStart(12),
            total.p99.toFixed(1).padStart(8),
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

async function load(url: string, tokens: string[], seconds: number) {
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          const token = tokens[next++ % tokens.length];
          return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
        },
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return { p99: result.latency.p99, total: result.requests.total, seconds: result.duration };
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
