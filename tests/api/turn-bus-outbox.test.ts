// How the Redis turn bus mirrors a process's events into Redis: events that come while a write is
// under way go together in one pipeline, one XADD each and an EXPIRE only when a stream starts or
// ends (not a MULTI/XADD/EXPIRE/EXEC transaction per event, which cost workers=2 a fifth of its CPU
// in bench:stream); and what Redis missed while it was away goes once it is back, in order. A
// private redis-server, so its command counts are this test's alone, and it can be stopped.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type ChatEvent, RedisTurnBus, type SequencedEvent } from "@parley/agent";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startRedis } from "../support/processes.ts";

const silent = { info() {}, warn() {}, error() {} };
const token = (text: string): ChatEvent => ({ type: "token", text });
const end: ChatEvent = { type: "error", code: "TEST", message: "end", messageId: null, creditsCharged: 0 };

let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

async function commandCalls(): Promise<Record<string, number>> {
  const { stdout } = await promisify(execFile)("redis-cli", [
    "-p",
    String(redis.port),
    "info",
    "commandstats",
  ]);
  return Object.fromEntries(
    [...stdout.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map((m) => [m[1], Number(m[2])]),
  );
}

async function collect(stream: AsyncGenerator<SequencedEvent>): Promise<SequencedEvent[]> {
  const out: SequencedEvent[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

it("a burst of events from many turns: one XADD per event, an EXPIRE per stream's start and end, no transactions; every reader gets its turn's events in order", async () => {
  const owner = await RedisTurnBus.connect(redis.url, silent);
  const other = await RedisTurnBus.connect(redis.url, silent);
  try {
    const before = await commandCalls();
    const turns = Array.from({ length: 100 }, () => crypto.randomUUID());
    // All published in one go, as a busy process's answers do between two turns of the event loop.
    for (let i = 0; i < 5; i++) for (const turnId of turns) void owner.publish(turnId, token(`${i}`));
    for (const turnId of turns) void owner.publish(turnId, end);
    const read = await Promise.all(
      turns.map((turnId) => collect(other.read(turnId, 0, AbortSignal.timeout(10_000)))),
    );
    for (const events of read) {
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(events.map((e) => (e.event.type === "token" ? e.event.text : e.event.type))).toEqual([
        "0",
        "1",
        "2",
        "3",
        "4",
        "error",
      ]);
    }
    const after = await commandCalls();
    const calls = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
    expect(calls("xadd")).toBe(600);
    expect(calls("multi")).toBe(0);
    expect(calls("exec")).toBe(0);
    // The first write of a turn sets its running expiry; the one with its end, the finished one.
    // Here the first event of the first turn went alone, the rest waited for it and went together.
    expect(calls("expire")).toBeGreaterThanOrEqual(100);
    expect(calls("expire")).toBeLessThanOrEqual(200);
  } finally {
    await Promise.all([owner.close(), other.close()]);
  }
});

it("events published while Redis is away reach it once it is back, in order, each once", async () => {
  const warnings: string[] = [];
  const owner = await RedisTurnBus.connect(redis.url, {
    ...silent,
    warn: (_fields, message) => warnings.push(message ?? ""),
  });
  const turnId = crypto.randomUUID();
  for (const text of ["a", "b", "c"]) await owner.publish(turnId, token(text));
  const reader = await RedisTurnBus.connect(redis.url, silent);
  try {
    expect((await collect(reader.read(turnId, 0, AbortSignal.timeout(300)))).map((e) => e.seq)).toEqual([
      1, 2, 3,
    ]);
    await redis.stop();
    // The answer goes on while Redis is away: the owner's own readers have every event.
    for (const text of ["d", "e"]) await owner.publish(turnId, token(text));
    await owner.publish(turnId, end);
    const local = await collect(owner.read(turnId, 0, AbortSignal.timeout(1000)));
    expect(local.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    // Long enough for the client to give up on the write (not merely hold it until reconnected).
    await expect
      .poll(() => warnings, { timeout: 10_000 })
      .toContain("event bus: could not publish to Redis (will retry)");
    // Redis comes back empty: what it missed since it went away is sent again, for readers anywhere.
    redis = await startRedis(redis.port);
    await expect
      .poll(async () => (await collect(reader.read(turnId, 3, AbortSignal.timeout(500)))).map((e) => e.seq), {
        timeout: 15_000,
        interval: 250,
      })
      .toEqual([4, 5, 6]);
    const entries = await promisify(execFile)("redis-cli", [
      "-p",
      String(redis.port),
      "xlen",
      `parley:turn:${turnId}`,
    ]);
    expect(Number(entries.stdout.trim())).toBe(3);
  } finally {
    await Promise.all([owner.close(), reader.close()]);
  }
}, 30_000);
