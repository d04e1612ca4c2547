// pnpm bench:ledger — initialize+finalize pairs per second against the PostgreSQL in DATABASE_URL,
// at concurrency 1, 16 and 64, on one hot account and spread over 1,000 accounts, with p50/p99
// latency of each call. Runs in a scratch database it creates on that server and drops after.
// BENCH_SECONDS (default 5) sets the length of each run; BENCH_ACCOUNTS ("1,1000") and
// BENCH_CONCURRENCY ("1,16,64") narrow the grid.

import {
  allocateCredits,
  finalizeReservation,
  initializeReservation,
  syncModelPrices,
} from "@parley/accounting";
import { type Database, openDatabase } from "@parley/db";
import { createTestDatabase } from "@parley/db/testing";

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error(
    "Set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres).",
  );
  process.exit(1);
}
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const MODEL = "bench.model";
const list = (value: string | undefined, fallback: number[]) =>
  value ? value.split(",").map(Number) : fallback;
const spreads = list(process.env.BENCH_ACCOUNTS, [1, 1000]);
const concurrencies = list(process.env.BENCH_CONCURRENCY, [1, 16, 64]);
const ACCOUNTS = Math.max(...spreads);

process.env.TEST_DATABASE_URL = serverUrl;
const database = await createTestDatabase("parley_bench");
const url = new URL(database.url);

try {
  const setup = await openDatabase({ url: url.toString(), poolSize: 4 });
  await syncModelPrices(setup.em, [
    { modelId: MODEL, displayName: "Bench", inputPer1k: 1000, outputPer1k: 1000 },
  ]);
  const userIds = await createAccounts(setup, ACCOUNTS);
  await setup.close();

  console.log(
    `ledger benchmark: ${seconds}s per run, PostgreSQL ${url.host}, pairs = initialize + finalize\n`,
  );
  console.log(
    "accounts  conc  pairs/s   init p50  init p99  final p50  final p99  (ms)   client CPU µs/pair",
  );
  for (const spread of spreads) {
    for (const concurrency of concurrencies) {
      const db = await openDatabase({ url: url.toString(), poolSize: concurrency + 2 });
      const r = await run(db, userIds.slice(0, spread), concurrency);
      await db.close();
      console.log(
        [
          String(spread).padStart(8),
          String(concurrency).padStart(5),
          r.pairsPerSecond.toFixed(0).padStart(8),
          ...[r.init, r.finalize].flatMap((l) => [l.p50, l.p99]).map((ms) => ms.toFixed(1).padStart(9)),
          r.clientCpuMicrosPerPair.toFixed(0).padStart(12),
        ].join(" "),
      );
    }
  }
} finally {
  await database.drop();
}

async function createAccounts(db: Database, count: number): Promise<string[]> {
  const rows = await db.em.getConnection().execute<{ id: string }[]>(
    `insert into users (id, email, username, display_name, password_hash)
     select gen_random_uuid(), 'bench' || i || '@example.com', 'bench' || i, 'Bench ' || i, 'x'
       from generate_series(1, ?) as i
     returning id`,
    [count],
  );
  const ids = rows.map((r) => r.id);
  for (const userId of ids) {
    // The system funds the bench accounts (nobody may fund their own).
    await allocateCredits(db.em, { actor: null, userId, credits: 1_000_000_000 });
  }
  return ids;
}

interface Latencies {
  p50: number;
  p99: number;
}

async function run(db: Database, userIds: string[], concurrency: number) {
  const init: number[] = [];
  const finalize: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  let pairs = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const userId = userIds[Math.floor(Math.random() * userIds.length)] as string;
        // One EntityManager fork per pair, as each API request gets one.
        const em = db.em.fork();
        const t0 = performance.now();
        const reservation = await initializeReservation(em, {
          userId,
          modelId: MODEL,
          estimatedTokens: { input: 500, output: 1000 },
          ttlSeconds: 600,
        });
        const t1 = performance.now();
        await finalizeReservation(em, {
          userId,
          sessionId: reservation.sessionId,
          actualTokens: { input: 500, output: 700 },
        });
        const t2 = performance.now();
        init.push(t1 - t0);
        finalize.push(t2 - t1);
        pairs += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    pairsPerSecond: pairs / elapsed,
    init: percentiles(init),
    finalize: percentiles(finalize),
    // This process's CPU (ORM, driver, event loop); the rest of the machine is PostgreSQL's.
    clientCpuMicrosPerPair: (cpu.user + cpu.system) / pairs,
  };
}

function percentiles(samples: number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}
