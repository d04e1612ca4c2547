// pnpm bench:stream — M concurrent chats through the whole stack (auth, send: store + reserve,
// LangGraph graph, settle + store, SSE to this client process) against the fake Bedrock (its own
// process), side by side with M direct ChatBedrockConverse streams (another process) to the same
// fake. Three Parley paths: one server process (events in memory); two processes on one Redis
// where each chat is sent to one process and streamed from the other (events cross Redis); and one
// server with PARLEY_WORKERS=2 (a primary and two workers sharing one port over Redis, as
// deployed on a 2-core machine). Prints tokens/s delivered, server CPU per 1,000 tokens,
// time-to-first-token p50/p99, server RSS per open stream, the events carrying text each chat
// received (tokens coalesced into one are one), wall time against the ideal (did the
// streams keep pace), and the CPU seconds of every process of each path and their total, then
// (after `;`) PostgreSQL's (where it runs on this machine) and this benchmark's own process's, the
// clients of every chat.
//
// Needs DATABASE_URL (a PostgreSQL server; a scratch database is created and dropped) and Redis
// (REDIS_URL, default redis://127.0.0.1:6379) for the two-process rows.
// First the TTFT of one stream at a time: the p50 of BENCH_SINGLE_RUNS (100) chats in a row per path
// (five rounds, the paths in turn), and
// what one chat costs in CPU (the server, PostgreSQL where it runs on this machine; the direct process).
// BENCH_M ("1,100,500,1000"), BENCH_TOKENS (500), BENCH_RATES ("0,50": tokens/s per stream, 0 = unpaced),
// BENCH_WARMUP (100: chats, or direct calls, each path serves one at a time before it is measured),
// BENCH_ROUNDS (1: rounds of each rate and M, the paths in turn; each figure printed is their median).
// BENCH_PROFILE=DIR writes a V8 CPU profile of the server process into DIR (open it in DevTools).
// Then the credits of a 20-turn conversation with and without prompt caching (prompt-caching.ts).
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChatBedrockConverse } from "@langchain/aws";
import { createParleyClient, sendTurn, streamTurn } from "@parley/client";
import { createTestDatabase } from "@parley/db/testing";
import { type BenchUser, createBenchUsers } from "./bench-users.ts";
import { startParleyServer, startProcess } from "./child-process.ts";
import { useDatabaseServer } from "./database-server.ts";
import { printPromptCaching } from "./prompt-caching.ts";
import { goalLines, type RunFigures, type SingleStreamOverhead } from "./stream-goals.ts";
import {
  type Failed,
  type PathResult,
  pathFigures,
  percentile,
  TABLE_HEADER,
  tableRow,
} from "./stream-table.ts";

const here = import.meta.dirname;
const root = join(here, "..");
const list = (value: string | undefined, fallback: number[]) =>
  value ? value.split(",").map(Number) : fallback;
const counts = list(process.env.BENCH_M, [1, 100, 500, 1000]);
const rates = list(process.env.BENCH_RATES, [0, 50]);
const tokens = Number(process.env.BENCH_TOKENS ?? 500);
/** Chats (calls, on the direct path) each path serves one at a time before it is measured. */
const warmups = Number(process.env.BENCH_WARMUP ?? 100);
/** Rounds of each (rate, M) in which the paths take turns; each figure printed is their median. */
const benchRounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
/** Rounds of the single-stream TTFT, in which the Parley and direct paths take turns. */
const SINGLE_ROUNDS = 5;
/**
 * Connections of each server process's pool. Five server processes run at once (one, a pair, two
 * workers): 15 each stays within PostgreSQL's default max_connections (100) with room for the bench's
 * own.
 */
const POOL_SIZE = 15;

if (process.argv[2] === "--direct") {
  // Child mode: M direct ChatBedrockConverse streams, reporting JSON on stdout.
  const [url, m, rate, rounds] = process.argv.slice(3);
  console.log(JSON.stringify(await runDirect(String(url), Number(m), Number(rate), Number(rounds ?? 1))));
  process.exit(0);
}

useDatabaseServer();
const database = await createTestDatabase("parley_bench");
const children: ChildProcess[] = [];
try {
  const fake = await startChild(
    [join(root, "packages/agent/src/fake-bedrock/main.ts"), "--port", "0"],
    {},
    /listening on (\S+)/,
  );
  const serverEnv = {
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    BEDROCK_ENDPOINT: fake.url,
    BEDROCK_MODEL_ARNS: MODEL,
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
    CHAT_MAX_CONCURRENT_TURNS: "100",
    PARLEY_WORKERS: "1",
  };
  const startParley = async (env: Record<string, string>) => {
    const started = await startParleyServer(database.url, { ...serverEnv, ...env });
    children.push(started.child);
    return started;
  };
  const single = await startParley({});
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const pair = [await startParley({ REDIS_URL: redisUrl }), await startParley({ REDIS_URL: redisUrl })];
  const workers = await startParley({ REDIS_URL: redisUrl, PARLEY_WORKERS: "2" });
  const users = await createBenchUsers(database.url, Math.max(...counts), {
    prefix: "bench",
    credits: 1_000_000_000,
  });
  const singlePath: ParleyPath = {
    urls: [single.url],
    processes: { server: single.child.pid ?? 0 },
    exchange: "sendAndStream",
  };
  const pairPath: ParleyPath = {
    exchange: "send, stream",
    urls: pair.map((p) => p.url),
    processes: Object.fromEntries(pair.map((p, i) => [`server ${i + 1}`, p.child.pid ?? 0])),
  };
  const workersPath: ParleyPath = {
    exchange: "sendAndStream",
    urls: [workers.url],
    processes: clusterProcesses(workers.child.pid ?? 0),
  };

  // Warm the servers up (JIT, connection pools) outside the measurements: as many chats at once as
  // each process has connections (so every connection is open, its statements prepared), then
  // BENCH_WARMUP one after another. A server's first hundred or so answers are measurably slower
  // than its later ones (the JIT is still optimizing); a running server is past them.
  for (const [path, concurrent] of [
    [singlePath, POOL_SIZE],
    [pairPath, 2 * POOL_SIZE],
    [workersPath, 2 * POOL_SIZE],
  ] as const) {
    await runParley(path, users.slice(0, concurrent), 0);
    for (let i = 0; i < warmups; i++) await runParley(path, users.slice(0, 1), 0);
  }
  console.log(`stream benchmark: ${tokens} tokens per chat; CPU of Parley is its server processes' total\n`);
  const singleStream = await printSingleStreamTtft(singlePath, users[0], fake.url);
  const runFigures: RunFigures = new Map();
  console.log(
    benchRounds > 1
      ? `${TABLE_HEADER}\n(each figure the median of ${benchRounds} rounds; the paths take turns in each)`
      : TABLE_HEADER,
  );
  for (const rate of rates) {
    for (const m of counts) {
      const paths = {
        parley: () => runParley(singlePath, users.slice(0, m), rate),
        "parley×2": () => runParley(pairPath, users.slice(0, m), rate),
        "workers=2": () => runParley(workersPath, users.slice(0, m), rate),
        direct: async () =>
          JSON.parse(
            await runChild([import.meta.filename, "--direct", fake.url, String(m), String(rate)]),
          ) as PathResult,
      };
      const results = new Map<string, (PathResult | Failed)[]>(Object.keys(paths).map((name) => [name, []]));
      // The paths take turns in every round, so a drift in the machine's speed weighs on all alike.
      for (let round = 0; round < benchRounds; round++) {
        for (const [name, run] of Object.entries(paths)) results.get(name)?.push(await measured(run));
      }
      const ideal = rate > 0 ? (tokens / rate) * 1000 : null;
      const figures = new Map([...results].map(([name, rounds]) => [name, pathFigures(m, rounds, ideal)]));
      runFigures.set(`${rate}/${m}`, figures);
      for (const [name, rounds] of results)
        console.log(tableRow(rate, m, name, rounds, figures.get(name) ?? null));
    }
  }
  console.log(`\n${goalLines(singleStream, runFigures).join("\n")}`);
  const [caching] = users;
  if (caching)
    await printPromptCaching({
      databaseUrl: database.url,
      parleyUrl: single.url,
      token: caching.token,
      model: MODEL,
    });
} finally {
  for (const child of children) child.kill("SIGTERM");
  await database.drop();
}
// A path that failed leaves its other chats' streams open, reconnecting to stopped servers.
process.exit();

/**
 * A path's figures, or why it could not finish (a path that falls far behind on a loaded machine
 * can time out), so the other paths of the run are still printed.
 */
async function measured<T>(run: () => Promise<T>): Promise<T | Failed> {
  try {
    return await run();
  } catch (error) {
    return { failed: causeChain(error) };
  }
}

/** An error and its causes, each with its code: "fetch failed" alone does not say what failed. */
function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e && parts.length < 5; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    parts.push(
      `${e instanceof Error ? e.message : String(e)}${typeof code === "string" ? ` [${code}]` : ""}`,
    );
  }
  return parts.join(" ← ");
}

interface ParleyPath {
  /**
   * How a chat is sent and followed: `sessions.sendAndStream` (one exchange, as the SPA and
   * `sendTurn` do), or `sessions.send` then `sessions.stream` (two exchanges, possibly to two
   * processes).
   */
  exchange: "sendAndStream" | "send, stream";
  /** Server addresses: chat i is sent to address i mod n (and streamed from the next one). */
  urls: string[];
  /** Every process serving the path, by name, whose CPU counts. */
  processes: Record<string, number>;
}

/** A PARLEY_WORKERS server's primary and its workers (its child processes, from /proc). */
function clusterProcesses(primary: number): Record<string, number> {
  const children = readFileSync(`/proc/${primary}/task/${primary}/children`, "utf8").trim().split(/\s+/);
  return Object.fromEntries([
    ["primary", primary],
    ...children.map((pid, i) => [`worker ${i + 1}`, Number(pid)] as const),
  ]);
}

async function runParley(path: ParleyPath, users: BenchUser[], rate: number) {
  const pids = Object.values(path.processes);
  const cpuEach = () =>
    Object.entries(path.processes).map(([name, pid]) => [name, processCpuMs(pid)] as const);
  const rssOf = () => pids.reduce((sum, pid) => sum + processRssKiB(pid), 0);
  const cpuBefore = new Map(cpuEach());
  const rssBefore = rssOf();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, rssOf());
  }, 100);
  const clientCpu = process.cpuUsage();
  const postgresBefore = postgresCpu();
  const started = performance.now();
  const n = path.urls.length;
  const results = await Promise.all(
    users.map((user, i) => {
      const url = (k: number) => path.urls[k % n] ?? "";
      return runChat(path.exchange, url(i), url(i + 1), user, rate);
    }),
  );
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  const cpuByProcess = Object.fromEntries(
    cpuEach().map(([name, ms]) => [name, ms - (cpuBefore.get(name) ?? 0)] as const),
  );
  const clientUsed = process.cpuUsage(clientCpu);
  const postgresMs = postgresCpuSince(postgresBefore);
  return {
    clientCpuMs: (clientUsed.user + clientUsed.system) / 1000,
    postgresCpuMs: postgresMs,
    ttft: results.map((r) => r.ttft),
    wallMs,
    tokensDelivered: results.reduce((sum, r) => sum + r.words, 0),
    textEvents: results.reduce((sum, r) => sum + r.textEvents, 0),
    cpuMs: Object.values(cpuByProcess).reduce((sum, ms) => sum + ms, 0),
    cpuByProcess,
    rssPerStreamKiB: (rssPeak - rssBefore) / users.length,
  };
}

/**
 * One chat: its TTFT (from the send) and the words of its answer. A new chat each time: the model
 * gets Parley's system prompt and tools and this one question, as the direct path sends its one
 * question. (Chats that went on would send a longer history at every turn, which the direct path
 * never does.)
 */
async function runChat(
  exchange: ParleyPath["exchange"],
  sendUrl: string,
  streamUrl: string,
  user: BenchUser,
  rate: number,
) {
  const sender = createParleyClient({ url: sendUrl, token: user.token });
  const t0 = performance.now();
  let ttft = -1;
  let text = "";
  let textEvents = 0;
  const onToken = (token: string) => {
    if (ttft < 0) ttft = performance.now() - t0;
    text += token;
    textEvents++;
  };
  const content = `bench [[fake tokens=${tokens} rate=${rate}]]`;
  if (exchange === "sendAndStream") {
    await sendTurn(sender, { content }, { onToken });
  } else {
    const { turnId } = await sender.sessions.send.mutate({ content });
    const streamer = createParleyClient({ url: streamUrl, token: user.token });
    await streamTurn(streamer, turnId, { onToken });
  }
  return { ttft, words: text.trim().split(" ").length, textEvents };
}

/**
 * TTFT with one stream at a time, the p50 of BENCH_SINGLE_RUNS (100) chats one after another on
 * each path: one chat's figure alone is mostly the noise of the moment it ran in. The paths take
 * turns in SINGLE_ROUNDS rounds, so a drift in the machine's speed weighs on both alike. Returns
 * each way of sending's p50 over the direct path's, for the goal lines.
 */
async function printSingleStreamTtft(
  path: ParleyPath,
  user: BenchUser | undefined,
  fakeUrl: string,
): Promise<SingleStreamOverhead[]> {
  if (!user) return [];
  const runs = Number(process.env.BENCH_SINGLE_RUNS ?? 100);
  const perRound = Math.max(1, Math.ceil(runs / SINGLE_ROUNDS));
  const serverPids = Object.values(path.processes);
  const serverCpu = () => serverPids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
  const exchanges = ["sendAndStream", "send, stream"] as const;
  const parley = exchanges.map((exchange) => ({
    exchange,
    ttft: [] as number[],
    serverMs: 0,
    // null where PostgreSQL does not run on this machine (its CPU cannot be read).
    postgresMs: 0 as number | null,
  }));
  const direct: number[] = [];
  let directMs = 0;
  for (let round = 0; round < SINGLE_ROUNDS; round++) {
    for (const figures of parley) {
      const [serverBefore, postgresBefore] = [serverCpu(), postgresCpu()];
      const onePath = { ...path, exchange: figures.exchange };
      for (let i = 0; i < perRound; i++) figures.ttft.push(...(await runParley(onePath, [user], 0)).ttft);
      figures.serverMs += serverCpu() - serverBefore;
      const postgresUsed = postgresCpuSince(postgresBefore);
      figures.postgresMs =
        figures.postgresMs === null || postgresUsed === null ? null : figures.postgresMs + postgresUsed;
    }
    const directRun = JSON.parse(
      await runChild([import.meta.filename, "--direct", fakeUrl, "1", "0", String(perRound)]),
    ) as PathResult;
    direct.push(...directRun.ttft);
    directMs += directRun.cpuMs;
  }
  const chats = perRound * SINGLE_ROUNDS;
  const d = percentile(direct, 0.5);
  console.log(
    `one stream at a time, ${chats} chats each (${SINGLE_ROUNDS} rounds, the paths in turn): TTFT p50 direct ${d.toFixed(1)} ms`,
  );
  const overheads: SingleStreamOverhead[] = [];
  for (const { exchange, ttft, serverMs, postgresMs } of parley) {
    const p = percentile(ttft, 0.5);
    const overheadMs = p - d;
    overheads.push({ exchange, overheadMs });
    // What one chat costs the machine: at many chats starting at once, TTFT follows this.
    console.log(
      `  parley (${exchange}): TTFT p50 ${p.toFixed(1)} ms (+${overheadMs.toFixed(1)} ms); CPU per chat: server ${(serverMs / chats).toFixed(1)} ms${postgresMs === null ? "" : ` + PostgreSQL ${(postgresMs / chats).toFixed(1)} ms`}`,
    );
  }
  console.log(`  direct: CPU per call ${(directMs / chats).toFixed(1)} ms (its whole process)\n`);
  return overheads;
}

/** M direct streams at once, `rounds` times one after another (their TTFTs together). */
async function runDirect(url: string, m: number, rate: number, rounds = 1): Promise<PathResult> {
  const { BedrockRuntimeClient } = await import("@aws-sdk/client-bedrock-runtime");
  const { ChatBedrockConverse } = await import("@langchain/aws");
  const client = new BedrockRuntimeClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  const model = new ChatBedrockConverse({ model: MODEL, region: "us-east-1", client });
  // Warm up (JIT, connections) outside the measurement, as the servers are: BENCH_WARMUP calls.
  for (let i = 0; i < warmups; i++) {
    for await (const _ of await model.stream(`warm up [[fake tokens=${tokens}]]`)) {
    }
  }
  const cpu = process.cpuUsage();
  const started = performance.now();
  const results: { ttft: number; words: number; textEvents: number }[] = [];
  for (let round = 0; round < rounds; round++) {
    results.push(...(await Promise.all(Array.from({ length: m }, () => directStream(model, rate)))));
  }
  const used = process.cpuUsage(cpu);
  return {
    ttft: results.map((r) => r.ttft),
    wallMs: performance.now() - started,
    tokensDelivered: results.reduce((sum, r) => sum + r.words, 0),
    textEvents: results.reduce((sum, r) => sum + r.textEvents, 0),
    cpuMs: (used.user + used.system) / 1000,
  };
}

/** One direct ChatBedrockConverse stream: its TTFT and the words it delivered. */
async function directStream(model: ChatBedrockConverse, rate: number) {
  const t0 = performance.now();
  let ttft = -1;
  let words = 0;
  let textEvents = 0;
  for await (const chunk of await model.stream(`bench [[fake tokens=${tokens} rate=${rate}]]`)) {
    const text = typeof chunk.content === "string" ? chunk.content : "";
    if (text) {
      if (ttft < 0) ttft = performance.now() - t0;
      words += text.trim().split(" ").filter(Boolean).length;
      textEvents++;
    }
  }
  return { ttft, words, textEvents };
}

function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (data: Buffer) => {
      out += data.toString();
    });
    child.once("exit", (code) =>
      code === 0 ? resolve(out.trim().split("\n").pop() ?? "") : reject(new Error(out)),
    );
  });
}

/**
 * User + system CPU (ms) of each PostgreSQL process on this machine, by pid; empty where none runs
 * here (a remote server). Its backends serve the paths' SQL, on the same cores.
 */
function postgresCpu(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== "postgres") continue;
      byPid.set(Number(entry), processCpuMs(Number(entry)));
    } catch {
      // the process ended between the listing and the read
    }
  }
  return byPid;
}

/** PostgreSQL's CPU since `before` (a process that ended in between is not counted), or null. */
function postgresCpuSince(before: Map<number, number>): number | null {
  const now = postgresCpu();
  if (now.size === 0) return null;
  let used = 0;
  for (const [pid, ms] of now) used += ms - (before.get(pid) ?? 0);
  return used;
}

/** User + system CPU of a process, from /proc (Linux), in ms. */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

function processRssKiB(pid: number): number {
  let status = "";
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return 0; // the process has ended (a run cut short)
  }
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return Number(match?.[1] ?? 0);
}

/** A child of this benchmark (stopped at the end), ready once its output matches `ready`. */
async function startChild(args: string[], env: Record<string, string>, ready: RegExp) {
  const started = await startProcess(process.execPath, args, { ...process.env, ...env }, ready);
  children.push(started.child);
  return started;
}
