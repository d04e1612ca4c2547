// pnpm bench:ledger — initialize+finalize pairs per second against the PostgreSQL in DATABASE_URL,
// on one hot account and spread over 1,000 accounts, each beside its references measured in the
// same run: pgbench calling the same ledger functions (prepared statements), a raw `pg` loop doing
// the same, and on the hot account the floor: two bare one-row UPDATE commits per pair, not the
// ledger's SQL (see ledger-references.ts). Runs in a scratch database it creates on that server
// and drops after. BENCH_SECONDS (default 6) is each path's time, run as rounds of
// BENCH_SLICE_SECONDS (2) in which the paths take turns, so a machine whose load drifts during the
// run weighs on every path alike; BENCH_ACCOUNTS ("1,1000") and BENCH_CONCURRENCY ("16") set the
// grid (BENCH_ACCOUNTS=1: the hot account alone).

import { allocateCredits, syncModelPrices } from "@parley/accounting";
import { type Database, openDatabase } from "@parley/db";
import { createTestDatabase } from "@parley/db/testing";
import { useDatabaseServer } from "./database-server.ts";
import { combineParley, type ParleySlice, runParley, startParleyProcesses } from "./ledger-parley.ts";
import {
  combine,
  FLOOR_SCRIPT,
  findPgbench,
  MODEL,
  PAIR_SCRIPT,
  type RunResult,
  runPgbench,
  runRawPg,
  type Slice,
} from "./ledger-references.ts";

useDatabaseServer();
// pgbench takes whole seconds.
const sliceSeconds = Math.max(1, Math.round(Number(process.env.BENCH_SLICE_SECONDS ?? 2)));
const rounds = Math.max(1, Math.round(Number(process.env.BENCH_SECONDS ?? 6) / sliceSeconds));
const seconds = rounds * sliceSeconds;
const list = (value: string | undefined, fallback: number[]) =>
  value ? value.split(",").map(Number) : fallback;
const spreads = list(process.env.BENCH_ACCOUNTS, [1, 1000]);
const concurrencies = list(process.env.BENCH_CONCURRENCY, [16]);
const ACCOUNTS = Math.max(...spreads);
const pgbench = findPgbench();

const database = await createTestDatabase("parley_bench");
const url = new URL(database.url);

try {
  const setup = await openDatabase({ url: url.toString(), poolSize: 4 });
  await syncModelPrices(setup.em, [
    {
      modelId: MODEL,
      displayName: "Bench",
      inputPer1k: 1000,
      outputPer1k: 1000,
      cacheReadPer1m: null,
      cacheWritePer1m: null,
    },
  ]);
  const userIds = await createAccounts(setup, ACCOUNTS);
  await setup.close();

  console.log(
    `ledger benchmark: ${seconds}s per path (${rounds} rounds of ${sliceSeconds}s, the paths in turn), PostgreSQL ${url.searchParams.get("host") ?? url.host}, pair = initialize + finalize (reserve + settle)`,
  );
  console.log(
    pgbench
      ? "reference: pgbench -M prepared calling the same functions, in the same run\n"
      : "pgbench not found (set PGBENCH or install postgresql-client): the raw pg loop is the reference\n",
  );
  console.log(
    "accounts  conc  path                 pairs/s  pair p50  pair p99 (ms)  init p99  final p99  vs ref  CPU µs/pair",
  );
  for (const spread of spreads) {
    for (const concurrency of concurrencies) {
      const accounts = userIds.slice(0, spread);
      const row = (path: string, r: RunResult, extra: string[] = []) =>
        console.log(
          [
            String(spread).padStart(8),
            String(concurrency).padStart(5),
            ` ${path.padEnd(19)}`,
            r.pairsPerSecond.toFixed(0).padStart(8),
            r.p50.toFixed(1).padStart(9),
            r.p99.toFixed(1).padStart(9),
            ...extra,
          ].join(" "),
        );
      const db = await openDatabase({ url: url.toString(), poolSize: concurrency + 2 });
      await runParley(db, accounts, concurrency, 2); // warm-up: connections, JIT, caches
      await checkpoint(db);
      // As PARLEY_WORKERS=2 runs the server: two processes, half the callers each, a queue each.
      const processes = await startParleyProcesses(
        url.toString(),
        accounts,
        Math.max(1, Math.round(concurrency / 2)),
        2,
      );
      const runs = {
        reference: [] as Slice[],
        parley: [] as ParleySlice[],
        parleyProcesses: [] as ParleySlice[],
        raw: [] as Slice[],
        floor: [] as Slice[],
      };
      for (let round = 0; round < rounds; round++) {
        // In each round the reference first, then Parley: drift within a round counts against Parley.
        // Each slice starts from the same state (freshState).
        if (pgbench) {
          await freshState(db);
          runs.reference.push(
            await runPgbench(pgbench, url.toString(), PAIR_SCRIPT, {
              accounts: spread,
              concurrency,
              seconds: sliceSeconds,
            }),
          );
        }
        await freshState(db);
        runs.parley.push(await runParley(db, accounts, concurrency, sliceSeconds));
        await freshState(db);
        runs.parleyProcesses.push(await processes.run(sliceSeconds));
        await freshState(db);
        runs.raw.push(await runRawPg(db, accounts, { concurrency, seconds: sliceSeconds }));
        if (spread === 1 && pgbench) {
          await freshState(db);
          runs.floor.push(
            await runPgbench(pgbench, url.toString(), FLOOR_SCRIPT, {
              accounts: 1,
              concurrency,
              seconds: sliceSeconds,
            }),
          );
        }
      }
      processes.close();
      await db.close();
      const parley = combineParley(runs.parley);
      const parleyProcesses = combineParley(runs.parleyProcesses);
      const raw = combine(runs.raw);
      const reference = pgbench ? combine(runs.reference) : raw;
      const floor = runs.floor.length > 0 ? combine(runs.floor) : null;
      const parleyRow = (path: string, r: typeof parley) =>
        row(path, r, [
          r.init.toFixed(1).padStart(13),
          r.finalize.toFixed(1).padStart(10),
          `${(r.pairsPerSecond / reference.pairsPerSecond).toFixed(2)}×`.padStart(7),
          r.clientCpuMicrosPerPair.toFixed(0).padStart(12),
        ]);
      parleyRow("Parley", parley);
      parleyRow("Parley, 2 processes", parleyProcesses);
      if (pgbench) row("pgbench (same SQL)", reference);
      row("raw pg loop", raw);
      if (floor) {
        row("floor (2 UPDATEs)", floor);
        console.log(
          `${" ".repeat(15)}floor: two one-row UPDATE commits on the account per pair, no ledger work (not the same SQL);\n` +
            `${" ".repeat(15)}Parley on the hot account: ${(parley.pairsPerSecond / floor.pairsPerSecond).toFixed(2)}× that floor, ` +
            `from 2 processes ${(parleyProcesses.pairsPerSecond / floor.pairsPerSecond).toFixed(2)}×`,
        );
      }
    }
  }
} finally {
  await database.drop();
}

/**
 * Vacuums and analyzes the scratch database, so each slice starts where the first did: no dead row
 * versions left by the slices before (the server's autovacuum may be off, and is no match for a
 * hot account's thousands of updates a second), statistics of the rows there are.
 */
async function freshState(db: Database): Promise<void> {
  await db.em.getConnection().execute("vacuum analyze");
}

/** The set-up's and warm-up's writes flushed now (where the role may), not during a measured slice. */
async function checkpoint(db: Database): Promise<void> {
  await db.em
    .getConnection()
    .execute("checkpoint")
    .catch(() => undefined);
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
  // The references find the accounts by index (pgbench has no uuid variables).
  await db.em.getConnection().execute(
    `create table bench_accounts (i int primary key, user_id uuid not null);
     insert into bench_accounts select n, id::uuid
       from jsonb_array_elements_text(?::jsonb) with ordinality as u(id, n)`,
    [JSON.stringify(ids)],
  );
  for (const userId of ids) {
    // The system funds the bench accounts (nobody may fund their own).
    await allocateCredits(db.em, { actor: null, userId, credits: 1_000_000_000 });
  }
  return ids;
}
