// The two turn buses behave the same: LocalTurnBus in memory, RedisTurnBus against the real Redis
// (TEST_REDIS_URL, default the local one), two instances standing in for two server processes.
import { afterAll, describe, expect, it } from "vitest";
import type { ChatEvent, SequencedEvent } from "./events.ts";
import { RedisTurnBus } from "./redis-turn-bus.ts";
import { LocalTurnBus, type TurnBus } from "./turn-bus.ts";

const silent = { info() {}, warn() {}, error() {} };
const token = (text: string): ChatEvent => ({ type: "token", text });
const done: ChatEvent = { type: "error", code: "TEST", message: "end", messageId: null, creditsCharged: 0 };

async function collect(stream: AsyncGenerator<SequencedEvent>): Promise<SequencedEvent[]> {
  const out: SequencedEvent[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const opened: TurnBus[] = [];
afterAll(() => Promise.all(opened.map((bus) => bus.close())));

describe.each([
  [
    "LocalTurnBus",
    async () => {
      const bus = new LocalTurnBus();
      return [bus, bus] as const;
    },
  ],
  [
    "RedisTurnBus",
    async () => {
      const owner = await RedisTurnBus.connect(redisUrl, silent);
      const other = await RedisTurnBus.connect(redisUrl, silent);
      opened.push(owner, other);
      return [owner, other] as const;
    },
  ],
])("%s", (_name, open) => {
  it("numbers events from 1, replays from any point, follows new ones, ends at the final event", async () => {
    const [owner, reader] = await open();
    const turnId = crypto.randomUUID();
    expect(await owner.publish(turnId, token("a"))).toBe(1);
    expect(await owner.publish(turnId, token("b"))).toBe(2);
    expect(await reader.has(turnId)).toBe(true);
    const fromStart = collect(reader.read(turnId, 0, new AbortController().signal));
    const fromTwo = collect(reader.read(turnId, 2, new AbortController().signal));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await owner.publish(turnId, token("c"));
    await owner.publish(turnId, done);
    expect((await fromStart).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect((await fromTwo).map((e) => [e.seq, e.event.type])).toEqual([
      [3, "token"],
      [4, "error"],
    ]);
    expect(await owner.publish(turnId, token("late"))).toBe(4); // nothing after the end
  });

  it("stops reading when the signal aborts", async () => {
    const [owner, reader] = await open();
    const turnId = crypto.randomUUID();
    await owner.publish(turnId, token("a"));
    const controller = new AbortController();
    const reading = collect(reader.read(turnId, 0, controller.signal));
    setTimeout(() => controller.abort(), 50);
    expect((await reading).map((e) => e.seq)).toEqual([1]);
  });

  it("delivers a stop request to every instance", async () => {
    const [owner, other] = await open();
    const turnId = crypto.randomUUID();
    const heard = new Promise<string>((resolve) => owner.onStop(resolve));
    await other.requestStop(turnId);
    expect(await heard).toBe(turnId);
  });

  it("knows nothing of a turn it never saw", async () => {
    const [, reader] = await open();
    expect(await reader.has(crypto.randomUUID())).toBe(false);
  });
});
