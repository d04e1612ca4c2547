// pnpm bench:stream — M concurrent chats through the whole stack (auth, send: store + reserve,
// LangGraph graph, settle + store, SSE to this client process) against the fake Bedrock (its own
// process), side by side with M direct ChatBedrockConverse streams (another process) to the same
// fake. Two Parley paths: one server process (events in memory), and two processes on one Redis
// where each chat is sent to one process and streamed from the other (events cross Redis).
// Prints tokens/s delivered, server CPU per 1,000 tokens, time-to-first-token p50/p99 of both
// paths, server RSS per open stream, and wall time against the ideal (did the streams keep pace).
//
// Needs DATABASE_URL (a PostgreSQL server; a scratch database is created and dropped) and Redis
// (REDIS_URL, default redis://127.0.0.1:6379) for the two-process rows.
// BENCH_M ("1,100,1000"), BENCH_TOKENS (500), BENCH_RATES ("0,50": tokens/s per stream, 0 = unpaced).
// BENCH_PROFILE=DIR writes a V8 CPU profile of the server process into DIR (open it in DevTools).
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createParleyClient } from "@parley/client";
import { openDatabase } from "@parley/db";
import { createTestDatabase } from "@parley/db/testing";

const here = import.meta.dirname;
const root = join(here, "..");
const list = (value: string | undefined, fallback: number[]) =>
  value ? value.split(",").map(Number) : fallback;
const counts = list(process.env.BENCH_M, [1, 100, 1000]);
const rates = list(process.env.BENCH_RATES, [0, 50]);
const tokens = Number(process.env.BENCH_TOKENS ?? 500);
const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

interface PathResult {
  ttft: number[];
  wallMs: number;
  tokensDelivered: number;
  cpuMs: number;
}

if (process.argv[2] === "--direct") {
  // Child mode: M direct ChatBedrockConverse streams, reporting JSON on stdout.
  const [url, m, rate] = process.argv.slice(3);
  console.log(JSON.stringify(await runDirect(String(url), Number(m), Number(rate))));
  process.exit(0);
}

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error(
    "Set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres).",
  );
  process.exit(1);
}
process.env.TEST_DATABASE_URL = serverUrl;
const database = await createTestDatabase("parley_bench");
const children: ChildProcess[] = [];
try {
  const fake = await startChild(
    [join(root, "packages/agent/src/fake-bedrock/main.ts"), "--port", "0"],
    {},
    /listening on (\S+)/,
  );
  const profile = process.env.BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const serverEnv = {
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: "20",
    PORT: "0",
    LOG_LEVEL: "warn",
    BEDROCK_ENDPOINT: fake.match,
    BEDROCK_MODEL_ARNS: MODEL,
    DEMO_MODE: "false",
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
    SIGNUP_CREDITS: "0",
    CHAT_MAX_CONCURRENT_TURNS: "100",
  };
  const startParley = (env: Record<string, string>) =>
    startChild(
      [...profile, join(root, "apps/server/src/main.ts")],
      { ...serverEnv, ...env },
      /Parley is running: (\S+)/,
    );
  const single = await startParley({});
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const pair = [await startParley({ REDIS_URL: redisUrl }), await startParley({ REDIS_URL: redisUrl })];
  const users = await createUsers(database.url, Math.max(...counts));
  const singlePath: ParleyPath = { urls: [single.match], pids: [single.child.pid ?? 0] };
  const pairPath: ParleyPath = { urls: pair.map((p) => p.match), pids: pair.map((p) => p.child.pid ?? 0) };

  console.log(`stream benchmark: ${tokens} tokens per chat; CPU of Parley is its server processes' total\n`);
  console.log(
    "rate  M     path       tokens/s  CPU ms/1k tok  TTFT p50  TTFT p99 (ms)  RSS/stream  wall/ideal",
  );
  // Warm the servers up (JIT, connection pools) outside the measurements.
  await runParley(singlePath, users.slice(0, 5), 0);
  await runParley(pairPath, users.slice(0, 5), 0);
  for (const rate of rates) {
    for (const m of counts) {
      const viaParley = await runParley(singlePath, users.slice(0, m), rate);
      const viaPair = await runParley(pairPath, users.slice(0, m), rate);
      const direct = JSON.parse(
        await runChild([import.meta.filename, "--direct", fake.match, String(m), String(rate)]),
      ) as PathResult;
      const ideal = rate > 0 ? (tokens / rate) * 1000 : null;
      for (const [name, r, rss] of [
        ["parley", viaParley, viaParley.rssPerStreamKiB],
        ["parley×2", viaPair, viaPair.rssPerStreamKiB],
        ["direct", direct, null],
      ] as const) {
        console.log(
          [
            String(rate || "max").padEnd(5),
            String(m).padEnd(5),
            name.padEnd(10),
            ((r.tokensDelivered / r.wallMs) * 1000).toFixed(0).padStart(9),
            ((r.cpuMs / r.tokensDelivered) * 1000).toFixed(1).padStart(14),
            percentile(r.ttft, 0.5).toFixed(1).padStart(9),
            percentile(r.ttft, 0.99).toFixed(1).padStart(9),
            (rss === null ? "-" : `${rss.toFixed(0)} KiB`).padStart(16),
            (ideal ? (r.wallMs / ideal).toFixed(2) : "-").padStart(11),
          ].join(" "),
        );
      }
    }
  }
} finally {
  for (const child of children) child.kill("SIGTERM");
  await database.drop();
}

/** Users with a session token, credits and a chat each, written straight to the database. */
async function createUsers(url: string, count: number) {
  const db = await openDatabase({ url, poolSize: 2 });
  const connection = db.em.getConnection();
  const users: { token: string; sessionId: string }[] = [];
  for (let i = 0; i < count; i++) {
    const token = randomBytes(20).toString("hex");
    const [user] = await connection.execute<{ id: string }[]>(
      `insert into users (id, email, username, display_name, password_hash)
       values (gen_random_uuid(), ?, ?, 'Bench', 'x') returning id`,
      [`bench${i}@example.com`, `bench${i}`],
    );
    const userId = user?.id ?? "";
    await connection.execute(
      "insert into auth_sessions (id, user_id, expires_at) values (?, ?, now() + interval '1 day')",
      [createHash("sha256").update(token).digest("hex"), userId],
    );
    await connection.execute("select parley_admin_move(?, null, 'allocate', 1000000000, null, 'bench')", [
      userId,
    ]);
    const [session] = await connection.execute<{ id: string }[]>(
      "insert into chat_sessions (id, user_id, title, model_id) values (gen_random_uuid(), ?, 'bench', ?) returning id",
      [userId, MODEL],
    );
    users.push({ token, sessionId: session?.id ?? "" });
  }
  await db.close();
  return users;
}

interface ParleyPath {
  /** Server processes: chat i is sent to process i mod n and streamed from the next one. */
  urls: string[];
  pids: number[];
}

async function runParley(path: ParleyPath, users: { token: string; sessionId: string }[], rate: number) {
  const cpuOf = () => path.pids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
  const rssOf = () => path.pids.reduce((sum, pid) => sum + processRssKiB(pid), 0);
  const cpuBefore = cpuOf();
  const rssBefore = rssOf();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, rssOf());
  }, 100);
  const started = performance.now();
  const n = path.urls.length;
  const results = await Promise.all(
    users.map(async (user, i) => {
      const sender = createParleyClient({ url: path.urls[i % n] ?? "", token: user.token });
      const streamer = createParleyClient({ url: path.urls[(i + 1) % n] ?? "", token: user.token });
      const t0 = performance.now();
      const { turnId } = await sender.sessions.send.mutate({
        sessionId: user.sessionId,
        content: `bench [[fake tokens=${tokens} rate=${rate}]]`,
      });
      return new Promise<{ ttft: number; words: number }>((resolve, reject) => {
        let ttft = -1;
        let text = "";
        const subscription = streamer.sessions.stream.subscribe(
          { turnId },
          {
            onData({ data: event }) {
              if (event.type === "token") {
                if (ttft < 0) ttft = performance.now() - t0;
                text += event.text;
              } else if (event.type === "done" || event.type === "error") {
                subscription.unsubscribe();
                if (event.type === "error") reject(new Error(event.message));
                else resolve({ ttft, words: text.trim().split(" ").length });
              }
            },
            onError: reject,
          },
        );
      });
    }),
  );
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  return {
    ttft: results.map((r) => r.ttft),
    wallMs,
    tokensDelivered: results.reduce((sum, r) => sum + r.words, 0),
    cpuMs: cpuOf() - cpuBefore,
    rssPerStreamKiB: (rssPeak - rssBefore) / users.length,
  };
}

async function runDirect(url: string, m: number, rate: number): Promise<PathResult> {
  const { BedrockRuntimeClient } = await import("@aws-sdk/client-bedrock-runtime");
  const { ChatBedrockConverse } = await import("@langchain/aws");
  const client = new BedrockRuntimeClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  const model = new ChatBedrockConverse({ model: MODEL, region: "us-east-1", client });
  // Warm up (JIT, HTTP/2 session) outside the measurement, as the server is warmed up.
  for await (const _ of await model.stream("warm up [[fake tokens=20]]")) {
  }
  const cpu = process.cpuUsage();
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: m }, async () => {
      const t0 = performance.now();
      let ttft = -1;
      let words = 0;
      for await (const chunk of await model.stream(`bench [[fake tokens=${tokens} rate=${rate}]]`)) {
        const text = typeof chunk.content === "string" ? chunk.content : "";
        if (text) {
          if (ttft < 0) ttft = performance.now() - t0;
          words += text.trim().split(" ").filter(Boolean).length;
        }
      }
      return { ttft, words };
    }),
  );
  const used = process.cpuUsage(cpu);
  return {
    ttft: results.map((r) => r.ttft),
    wallMs: performance.now() - started,
    tokensDelivered: results.reduce((sum, r) => sum + r.words, 0),
    cpuMs: (used.user + used.system) / 1000,
  };
}

function startChild(args: string[], env: Record<string, string>, ready: RegExp) {
  return new Promise<{ child: ChildProcess; match: string }>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let seen = "";
    const onData = (data: Buffer) => {
      seen += data.toString();
      const match = ready.exec(seen);
      if (match?.[1]) resolve({ child, match: match[1] });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${args[0]} exited with ${code}:\n${seen}`)));
  });
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

/** User + system CPU of a process, from /proc (Linux), in ms. */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

function processRssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? 0);
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}
