// The reference columns of bench:ledger: the same ledger functions called without Parley's code
// around them, by pgbench (C, prepared statements) or, where pgbench is missing, by a loop of raw
// `pg` calls of named prepared statements; and the floor on one account: two bare single-row
// UPDATE commits per pair, the least a pair of locking movements on one row can cost. The floor
// runs none of the ledger's SQL: it bounds what shorter lock holds could reach, it is not the
// reference the same SQL is measured against (that is pgbench's row).

import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, pgPoolOf } from "@parley/db";

export interface RunResult {
  pairsPerSecond: number;
  /** Latency of a whole pair (both calls), in ms. */
  p50: number;
  p99: number;
}

export const MODEL = "bench.model";

/** One slice of a path's run: its rate and the latency of each of its pairs (ms). */
export interface Slice {
  pairsPerSecond: number;
  latencies: number[];
}

/** A path's slices as one figure: the mean rate (the slices are equally long), percentiles of all pairs. */
export function combine(slices: Slice[]): RunResult {
  const rate = slices.reduce((sum, slice) => sum + slice.pairsPerSecond, 0) / Math.max(1, slices.length);
  return { pairsPerSecond: rate, ...percentiles(slices.flatMap((slice) => slice.latencies)) };
}

/** pgbench on PATH or in Debian's usual place; null when neither is there. */
export function findPgbench(): string | null {
  for (const candidate of [process.env.PGBENCH ?? "pgbench", "/usr/bin/pgbench"]) {
    const probe = spawnSync(candidate, ["--version"], { encoding: "utf8" });
    if (probe.status === 0) return candidate;
  }
  return null;
}

// The account's user id comes from bench_accounts (index → id), in the statement itself, so a pair
// is two round trips as it is for Parley.
export const PAIR_SCRIPT = `\\set i random(1, :accounts)
select id as r, user_id as u from parley_reserve((select user_id from bench_accounts where i = :i), gen_random_uuid(), '${MODEL}', 500, 1000, 600) \\gset
select 1 from parley_settle(:u, :r, 'finalized', 500, 700, true, false);
`;

export const FLOOR_SCRIPT = `update credit_accounts set updated_at = now() where user_id = (select user_id from bench_accounts where i = 1);
update credit_accounts set updated_at = now() where user_id = (select user_id from bench_accounts where i = 1);
`;

/** Runs `script` with pgbench (-M prepared): one pgbench transaction is one pair. */
export async function runPgbench(
  pgbench: string,
  url: string,
  script: string,
  options: { accounts: number; concurrency: number; seconds: number },
): Promise<Slice> {
  const dir = await mkdtemp(join(tmpdir(), "parley-pgbench-"));
  try {
    const scriptFile = join(dir, "pair.sql");
    await writeFile(scriptFile, script);
    const args = [
      "-n",
      "-M",
      "prepared",
      "-c",
      String(options.concurrency),
      "-j",
      "2",
      "-T",
      String(options.seconds),
      "-D",
      `accounts=${options.accounts}`,
      "-f",
      scriptFile,
      "-l",
      `--log-prefix=${join(dir, "log")}`,
      url,
    ];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(pgbench, args, { stdio: ["ignore", "pipe", "pipe"] });
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      child.on("error", reject);
      child.on("close", (code) =>
        code === 0 ? resolve(text) : reject(new Error(`pgbench exited with ${code}:\n${text}`)),
      );
    });
    const tps = /tps = ([\d.]+)/.exec(output);
    if (!tps?.[1]) throw new Error(`no tps in pgbench's output:\n${output}`);
    // Per-transaction log lines: client, transaction, latency (µs), script, epoch, µs.
    const latencies: number[] = [];
    for (const file of await readdir(dir)) {
      if (!file.startsWith("log")) continue;
      for (const line of (await readFile(join(dir, file), "utf8")).split("\n")) {
        const micros = Number(line.split(" ")[2]);
        if (Number.isFinite(micros) && line) latencies.push(micros / 1000);
      }
    }
    // pgbench's rate leaves out its connections' start; the Node paths' pools are already open.
    return { pairsPerSecond: Number(tps[1]), latencies };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** PAIR_SCRIPT as a loop of raw `pg` calls: named prepared statements, no ORM, no domain code. */
export async function runRawPg(
  db: Database,
  userIds: string[],
  options: { concurrency: number; seconds: number },
): Promise<Slice> {
  const pool = await pgPoolOf(db.em);
  const latencies: number[] = [];
  const deadline = performance.now() + options.seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      const client = await pool.connect();
      try {
        while (performance.now() < deadline) {
          const userId = userIds[Math.floor(Math.random() * userIds.length)] as string;
          const t0 = performance.now();
          const { rows } = await client.query({
            name: "bench_reserve",
            text: "select id from parley_reserve($1, $2, $3, $4, $5, $6)",
            values: [userId, crypto.randomUUID(), MODEL, 500, 1000, 600],
          });
          await client.query({
            name: "bench_settle",
            text: "select 1 from parley_settle($1, $2, $3, $4, $5, $6, $7)",
            values: [userId, rows[0]?.id, "finalized", 500, 700, true, false],
          });
          latencies.push(performance.now() - t0);
        }
      } finally {
        client.release();
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { pairsPerSecond: latencies.length / elapsed, latencies };
}

export function percentiles(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}
