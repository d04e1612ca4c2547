// bench:ledger's Parley path: reserve + settle pairs through the accounting functions, in this
// process or in several (as PARLEY_WORKERS runs the server: each process has its own account queue,
// so PostgreSQL sees up to one movement of an account per process at a time). Run as a script, this
// file is one such process: it opens its own pool, warms up, then runs a slice for each `go` line on
// stdin and answers with the slice as one JSON line.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { finalizeReservation, initializeReservation } from "@parley/accounting";
import { type Database, openDatabase } from "@parley/db";
import { combine, MODEL, percentiles, type Slice } from "./ledger-references.ts";

/** A slice of Parley's path, with each call's latency and its processes' CPU time (µs). */
export interface ParleySlice extends Slice {
  init: number[];
  finalize: number[];
  cpuMicros: number;
}

export function combineParley(slices: ParleySlice[]) {
  const pairs = slices.reduce((sum, slice) => sum + slice.latencies.length, 0);
  return {
    ...combine(slices),
    init: percentiles(slices.flatMap((slice) => slice.init)).p99,
    finalize: percentiles(slices.flatMap((slice) => slice.finalize)).p99,
    // The calling processes' CPU (ORM, driver, event loop); the rest of the machine is PostgreSQL's.
    clientCpuMicrosPerPair: slices.reduce((sum, slice) => sum + slice.cpuMicros, 0) / Math.max(1, pairs),
  };
}

/** `concurrency` callers making pairs on random accounts of `userIds` for `seconds`. */
export async function runParley(
  db: Database,
  userIds: string[],
  concurrency: number,
  seconds: number,
): Promise<ParleySlice> {
  const init: number[] = [];
  const finalize: number[] = [];
  const pairs: number[] = [];
  const deadline = performance.now() + seconds * 1000;
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
        pairs.push(t2 - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    pairsPerSecond: pairs.length / elapsed,
    latencies: pairs,
    init,
    finalize,
    cpuMicros: cpu.user + cpu.system,
  };
}

/** The path in `count` processes of its own, each with `concurrency` callers and its pool. */
export async function startParleyProcesses(
  url: string,
  userIds: string[],
  concurrency: number,
  count: number,
): Promise<{ run(seconds: number): Promise<ParleySlice>; close(): void }> {
  const children = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, [import.meta.filename, url, String(concurrency)], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async () => {
      const { value, done } = await lines.next();
      if (done) throw new Error("a bench:ledger process ended early");
      return String(value);
    };
    return { child, next };
  });
  for (const { child, next } of children) {
    child.stdin.write(`${JSON.stringify(userIds)}\n`);
    await next(); // "ready": warmed up
  }
  return {
    async run(seconds) {
      for (const { child } of children) child.stdin.write(`go ${seconds}\n`);
      const slices = await Promise.all(
        children.map(async ({ next }) => JSON.parse(await next()) as ParleySlice),
      );
      // Side by side: the pairs of all processes in the same seconds.
      return {
        pairsPerSecond: slices.reduce((sum, s) => sum + s.pairsPerSecond, 0),
        latencies: slices.flatMap((s) => s.latencies),
        init: slices.flatMap((s) => s.init),
        finalize: slices.flatMap((s) => s.finalize),
        cpuMicros: slices.reduce((sum, s) => sum + s.cpuMicros, 0),
      };
    },
    close() {
      for (const { child } of children) child.stdin.end();
    },
  };
}

if (process.argv[1] === import.meta.filename) {
  const [url, concurrency] = process.argv.slice(2);
  const db = await openDatabase({ url: String(url), poolSize: Number(concurrency) + 2 });
  let userIds: string[] = [];
  for await (const line of createInterface({ input: process.stdin })) {
    if (!line.startsWith("go ")) {
      userIds = JSON.parse(line) as string[];
      await runParley(db, userIds, Number(concurrency), 2); // warm-up: connections, JIT, caches
      console.log("ready");
      continue;
    }
    console.log(JSON.stringify(await runParley(db, userIds, Number(concurrency), Number(line.slice(3)))));
  }
  await db.close();
}
