// PARLEY_WORKERS=2: one server process (a primary) forking two workers on one port, sharing turns
// and sign-outs over the real Redis, on a real PostgreSQL database, talking to the fake Bedrock.
// Which worker served a request is read from the request log lines (each carries its pid).
import { createServer } from "node:net";
import { fakeText } from "@parley/agent/fake-bedrock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { eventsOfType, streamTurn, textOf } from "../support/chat.ts";
import { failureOf } from "../support/errors.ts";
import { expectLedgerConsistent } from "../support/ledger.ts";
import { runNode } from "../support/node.ts";
import {
  type Cluster,
  freePort,
  type ServerProcess,
  startCluster,
  startServerProcess,
} from "../support/processes.ts";
import { signUp } from "../support/users.ts";

const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
const PRICES = JSON.stringify({ [MODEL]: { inputPer1k: 1000, outputPer1k: 1000 } });
const METRICS_TOKEN = "workers-metrics-token-0123456789";
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

let cluster: Cluster;
let metricsPort: number;
beforeAll(async () => {
  metricsPort = await freePort();
  cluster = await startCluster({
    processes: 1,
    redisUrl,
    env: {
      PARLEY_WORKERS: "2",
      LOG_LEVEL: "info",
      MODEL_PRICES: PRICES,
      METRICS_TOKEN,
      METRICS_PORT: String(metricsPort),
      // Long enough that only the cross-worker invalidation, not expiry, can explain a sign-out.
      AUTH_CACHE_TTL_MS: "60000",
      CHAT_MAX_CONCURRENT_TURNS: "20",
    },
  });
}, 120_000);
afterAll(() => cluster?.close());

const server = () => cluster.servers[0] as ServerProcess;
const view = () => cluster.view(0);

type LogLine = { msg?: string; pid?: number; path?: string; status?: number };
function logLines(): LogLine[] {
  const lines: LogLine[] = [];
  for (const line of server().output().split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      // A line cut by the banner on the other stream: not a request line we need.
    }
  }
  return lines;
}
/** Pids of the workers now listening (a replaced worker's pid is gone from here). */
const workerPids = () =>
  [...new Set(logLines().flatMap((l) => (l.msg === "parley listening" && l.pid ? [l.pid] : [])))].filter(
    alive,
  );
/** Pids of the workers that answered requests whose path starts with `prefix`, after line `from`. */
const servedBy = (prefix: string, from = 0) =>
  new Set(
    logLines()
      .slice(from)
      .flatMap((l) => (l.msg === "request" && l.path?.startsWith(prefix) && l.pid ? [l.pid] : [])),
  );
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const ownerPid = async (turnId: string) => {
  const [row] = await cluster.db.em
    .fork()
    .getConnection()
    .execute<{ owner: string; status: string }[]>("select owner, status from chat_turns where id = ?", [
      turnId,
    ]);
  return { pid: Number(row?.owner.split(":")[1]), status: row?.status };
};

async function chatter(credits = 1_000_000) {
  const { user } = await fundedUser(view(), credits);
  return user;
}

describe("PARLEY_WORKERS=2 on one port", () => {
  it("concurrent turns sent and streamed through one address run and stream on both workers, each answer whole", async () => {
    const [first, second] = workerPids();
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    const from = logLines().length;
    const { client, user, token } = await chatter();
    const turns = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        // A client each: one client batches concurrent calls into one request (to one worker).
        const own = view().client(token);
        const session = await own.sessions.create.mutate({});
        const tokens = 20 + i;
        const { turnId } = await own.sessions.send.mutate({
          sessionId: session.id,
          content: `turn ${i} [[fake tokens=${tokens} rate=100]]`,
        });
        const events = await streamTurn(view().client(token), turnId).finished;
        expect(textOf(events)).toBe(fakeText(tokens));
        expect(eventsOfType(events, "done")[0]?.status).toBe("complete");
        return turnId;
      }),
    );
    await Promise.all(Array.from({ length: 20 }, () => fetch(`${view().url}/healthz`)));
    // Both workers answered requests, and both ran turns (so some streams crossed Redis).
    expect(servedBy("/", from)).toEqual(new Set([first, second]));
    const owners = new Set(await Promise.all(turns.map(async (id) => (await ownerPid(id)).pid)));
    expect(owners).toEqual(new Set([first, second]));
    expect(await client.accounting.balance.query()).toMatchObject({ held: 0 });
    await expectLedgerConsistent(cluster.db, user.id);
  }, 60_000);

  it("/metrics counts the whole server's requests, on the app port and on METRICS_PORT", async () => {
    const metricsOf = async (url: string, headers: Record<string, string> = {}) => {
      const response = await fetch(url, { headers });
      expect(response.status).toBe(200);
      return response.text();
    };
    const healthzCount = (text: string) =>
      Number(
        /parley_http_requests_total\{method="GET",route="\/healthz",status="200"\} (\d+)/.exec(text)?.[1] ??
          0,
      );
    const auth = { authorization: `Bearer ${METRICS_TOKEN}` };
    const before = healthzCount(await metricsOf(`${view().url}/metrics`, auth));
    const from = logLines().length;
    await Promise.all(Array.from({ length: 30 }, () => fetch(`${view().url}/healthz`)));
    expect(servedBy("/healthz", from).size).toBe(2); // spread over both workers…
    const text = await metricsOf(`${view().url}/metrics`, auth);
    expect(healthzCount(text)).toBe(before + 30); // …and every one of them counted
    expect(text).toMatch(/^parley_workers 2$/m);
    expect(text).toMatch(/^parley_worker_restarts_total 0$/m);
    expect(text).toMatch(/^parley_process_cpu_seconds_total /m);
    const onPort = await metricsOf(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(healthzCount(onPort)).toBe(before + 30);
    expect((await fetch(`${view().url}/metrics`)).status).toBe(401);
  });

  it("signing out on one worker signs the session out on every worker at once", async () => {
    const { token } = await signUp(view());
    // A client per call: one client batches concurrent calls into one request (to one worker).
    const client = () => view().client(token);
    const from = logLines().length;
    // Many at once: both workers now hold the session in their caches.
    await Promise.all(Array.from({ length: 20 }, () => client().auth.me.query()));
    expect(servedBy("/trpc/auth.me", from).size).toBe(2);
    await client().auth.logout.mutate();
    const afterLogout = logLines().length;
    const failures = await Promise.all(Array.from({ length: 20 }, () => failureOf(client().auth.me.query())));
    expect(failures.map((f) => f.code)).toEqual(failures.map(() => "UNAUTHORIZED"));
    expect(servedBy("/trpc/auth.me", afterLogout).size).toBe(2);
  });

  it("/healthz and /readyz answer from either worker", async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => fetch(`${view().url}/${i % 2 ? "healthz" : "readyz"}`)),
    );
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
  });

  it("kill -9 of the worker running a turn: a new worker replaces it, the turn is settled as interrupted", async () => {
    const { client, user, token } = await chatter();
    const session = await client.sessions.create.mutate({});
    const { turnId } = await client.sessions.send.mutate({
      sessionId: session.id,
      content: "doomed [[fake tokens=3000 rate=40]]",
    });
    const watcher = streamTurn(view().client(token), turnId);
    await watcher.until((events) => eventsOfType(events, "token").length >= 100);
    const { pid: victim } = await ownerPid(turnId);
    const survivor = workerPids().find((pid) => pid !== victim);
    expect(workerPids()).toContain(victim);
    process.kill(victim, "SIGKILL");

    // The primary forks a replacement, which starts listening on the same port.
    await expect
      .poll(() => workerPids().filter((pid) => pid !== victim && pid !== survivor).length, {
        timeout: 60_000,
        interval: 500,
      })
      .toBe(1);
    expect(server().output()).toMatch(/worker died: replacing it/);
    // The turn is recovered (the existing recovery: a live worker settles a dead one's turns).
    await expect
      .poll(async () => (await ownerPid(turnId)).status, { timeout: 60_000, interval: 1000 })
      .toBe("interrupted");
    const replay = await streamTurn(view().client(token), turnId).finished;
    expect(eventsOfType(replay, "error")[0]?.code).toBe("INTERRUPTED");
    const answer = (await client.sessions.get.query({ sessionId: session.id })).messages[1];
    expect(answer?.status).toBe("incomplete");
    expect(await client.accounting.balance.query()).toMatchObject({ held: 0 });
    await expectLedgerConsistent(cluster.db, user.id);
    const metrics = await (
      await fetch(`${view().url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    expect(metrics).toMatch(/^parley_worker_restarts_total 1$/m);
    watcher.disconnect();
  }, 150_000);
});

describe("PARLEY_WORKERS configuration and start-up", () => {
  it("more than one worker without REDIS_URL stops start-up naming both variables", async () => {
    const result = await runNode("apps/server/src/main.ts", [], { PARLEY_WORKERS: "2" });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/PARLEY_WORKERS: more than one worker process needs REDIS_URL/);
    const bad = await runNode("apps/server/src/main.ts", [], { PARLEY_WORKERS: "0" });
    expect(bad.code).toBe(78);
    expect(bad.stderr).toMatch(/PARLEY_WORKERS/);
  });

  it("workers that keep crashing at start (the port is taken) make the primary give up with a non-zero exit", async () => {
    const taken = createServer();
    const port = await new Promise<number>((resolve) =>
      taken.listen(0, "127.0.0.1", () => resolve((taken.address() as { port: number }).port)),
    );
    try {
      const failure = await startServerProcess({
        DATABASE_URL: cluster.databaseUrl,
        BEDROCK_ENDPOINT: cluster.fake.url,
        REDIS_URL: redisUrl,
        // Three: all three fail in the first round, which is the give-up threshold (no second round).
        PARLEY_WORKERS: "3",
        PORT: String(port),
      }).then(
        () => null,
        (error: Error) => error.message,
      );
      expect(failure).toMatch(/server exited with 1/);
      expect(failure).toMatch(/EADDRINUSE/);
      expect(failure).toMatch(/workers keep crashing at start/);
    } finally {
      taken.close();
    }
  }, 150_000);

  it("SIGTERM: the primary drains every worker and exits 0", async () => {
    const pids = workerPids();
    expect(pids).toHaveLength(2);
    await server().stop();
    expect(server().child.exitCode).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
  });
});
