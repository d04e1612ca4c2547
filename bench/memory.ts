// pnpm bench:memory — the idle memory of what `npm start` runs (`scripts/parley.sh serve`, its last
// step: node with the embedded flags, apps/server/src/main.ts): the server on the embedded
// database (no DATABASE_URL: PGlite in a worker thread of the server process) and, as the
// reference measured in the same run, the same server on PostgreSQL (DATABASE_URL; the PostgreSQL
// server's own memory is not counted: it is a separate, shared service). Each server is started
// on a fresh DATA_DIR, left idle for BENCH_IDLE_SECONDS (10), then its whole process tree is
// measured from /proc: PSS (shared pages divided among the processes sharing them: the honest sum)
// and RSS. Linux only.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@parley/db/testing";
import { startProcess } from "./child-process.ts";
import { useDatabaseServer } from "./database-server.ts";

const root = join(import.meta.dirname, "..");
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
const MiB = 1024 * 1024;

useDatabaseServer(" for the reference run");

console.log(`idle memory of the server process tree, ${idleSeconds} s after start\n`);
console.log("database                  processes   PSS MiB   RSS MiB");
const database = await createTestDatabase("parley_bench");
try {
  for (const [name, env] of [
    ["embedded (default)", {}],
    ["PostgreSQL (reference)", { DATABASE_URL: database.url }],
  ] as const) {
    const dataDir = await mkdtemp(join(tmpdir(), "parley-memory-"));
    const server = await startServer({ DATA_DIR: dataDir, ...env });
    try {
      await new Promise((done) => setTimeout(done, idleSeconds * 1000));
      const tree = await processTree(server.pid);
      const usage = await Promise.all(tree.map(memoryOf));
      const pss = usage.reduce((sum, u) => sum + u.pss, 0);
      const rss = usage.reduce((sum, u) => sum + u.rss, 0);
      console.log(
        [
          name.padEnd(24),
          String(tree.length).padStart(11),
          (pss / MiB).toFixed(0).padStart(9),
          (rss / MiB).toFixed(0).padStart(9),
        ].join(" "),
      );
    } finally {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }
} finally {
  await database.drop();
}

/** `pid` and all its descendants, from each process's parent in /proc/<pid>/stat. */
async function processTree(pid: number): Promise<number[]> {
  const parents = new Map<number, number[]>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => null);
    // The command may contain spaces and parentheses: the fields after its closing ")" are fixed.
    const ppid = stat ? Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) : Number.NaN;
    if (!Number.isFinite(ppid)) continue;
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i] as number) ?? []));
  return tree;
}

async function memoryOf(pid: number): Promise<{ pss: number; rss: number }> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, "utf8").catch(() => "");
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(rollup)?.[1] ?? 0) * 1024;
  return { pss: field("Pss"), rss: field("Rss") };
}

function startServer(env: Record<string, string>) {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  // bash execs node: the server is the process spawned here.
  return startProcess("bash", [join(root, "scripts/parley.sh"), "serve"], {
    ...inherited,
    PORT: "0",
    LOG_LEVEL: "warn",
    ...env,
  });
}
