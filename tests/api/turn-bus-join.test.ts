// Many streams opening on the Redis turn bus: a process's readers share one blocking XREAD, and
// readers that join within a few milliseconds of each other must not each re-issue it (a thousand re-issues, each naming up to
// a thousand keys, is what made a thousand streams slow). A private redis-server, so its command
// counts are this test's alone.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type ChatEvent, RedisTurnBus, type SequencedEvent } from "@parley/agent";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startRedis } from "../support/processes.ts";

const silent = { info() {}, warn() {}, error() {} };
const token = (text: string): ChatEvent => ({ type: "token", text });
const READERS = 1000;

let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

async function xreadCalls(): Promise<number> {
  const { stdout: stats } = await promisify(execFile)("redis-cli", [
    "-p",
    String(redis.port),
    "info",
    "commandstats",
  ]);
  return Number(/cmdstat_xread:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

it("a thousand readers joining one after another share a few blocking reads, and each gets its events", async () => {
  const owner = await RedisTurnBus.connect(redis.url, silent);
  const follower = await RedisTurnBus.connect(redis.url, silent);
  try {
    const turnIds = Array.from({ length: READERS }, () => crypto.randomUUID());
    await Promise.all(turnIds.map((id) => owner.publish(id, token("first"))));
    await expect
      .poll(() => Promise.all(turnIds.map((id) => follower.has(id))).then((all) => all.every(Boolean)), {
        timeout: 30_000,
      })
      .toBe(true);

    const before = await xreadCalls();
    const started = performance.now();
    const signal = new AbortController().signal;
    const received: Promise<string[]>[] = [];
    // One after another, each joining once the previous one has caught up: spaced by round trips,
    // so every join would find the read blocked and re-issue it, were joins not batched.
    for (const id of turnIds) {
      let sawFirst: () => void = () => {};
      const first = new Promise<void>((resolve) => (sawFirst = resolve));
      received.push(
        (async () => {
          const events: SequencedEvent[] = [];
          for await (const event of follower.read(id, 0, signal)) {
            events.push(event);
            if (events.length === 1) sawFirst();
            if (events.length === 2) break;
          }
          return events.map((e) => (e.event.type === "token" ? e.event.text : ""));
        })(),
      );
      await first;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const elapsedMs = performance.now() - started;
    const joinReads = (await xreadCalls()) - before;
    // At most one re-issue per batching window (the bus's JOIN_BATCH_MS, 20 ms), plus a timed-out
    // block (5 s) now and then: not one per reader.
    expect(joinReads).toBeGreaterThan(0);
    expect(joinReads).toBeLessThanOrEqual(Math.ceil(elapsedMs / 20) + Math.ceil(elapsedMs / 5000) + 2);
    expect(joinReads).toBeLessThan(READERS / 4);

    await Promise.all(turnIds.map((id) => owner.publish(id, token("second"))));
    expect(await Promise.all(received)).toEqual(turnIds.map(() => ["first", "second"]));
  } finally {
    await Promise.all([owner.close(), follower.close()]);
  }
}, 60_000);
