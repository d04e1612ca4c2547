import { describe, expect, it } from "vitest";
import { accountQueueSize, inAccountQueue } from "./account-queue.ts";

/** A movement that runs until `finish` is called, noting when it starts and ends. */
function movement(log: string[], name: string) {
  let finish: (fail?: boolean) => void = () => undefined;
  const run = () =>
    new Promise<string>((resolve, reject) => {
      log.push(`start ${name}`);
      finish = (fail) => {
        log.push(`end ${name}`);
        if (fail) reject(new Error(`${name} failed`));
        else resolve(name);
      };
    });
  return { run, finish: (fail?: boolean) => finish(fail) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("inAccountQueue", () => {
  it("runs one account's movements one at a time, in the order they came; other accounts meanwhile", async () => {
    const log: string[] = [];
    const a1 = movement(log, "a1");
    const a2 = movement(log, "a2");
    const a3 = movement(log, "a3");
    const b1 = movement(log, "b1");
    const results = [
      inAccountQueue("a", a1.run),
      inAccountQueue("a", a2.run),
      inAccountQueue("a", a3.run),
      inAccountQueue("b", b1.run),
    ];
    await settle();
    expect(log).toEqual(["start a1", "start b1"]);
    expect(accountQueueSize()).toBe(2);

    // A failure reaches its caller alone; the next movement runs.
    a1.finish(true);
    await expect(results[0]).rejects.toThrow("a1 failed");
    await settle();
    expect(log).toEqual(["start a1", "start b1", "end a1", "start a2"]);

    b1.finish();
    a2.finish();
    await settle();
    a3.finish();
    await expect(Promise.all(results.slice(1))).resolves.toEqual(["a2", "a3", "b1"]);
    expect(log).toEqual([
      "start a1",
      "start b1",
      "end a1",
      "start a2",
      "end b1",
      "end a2",
      "start a3",
      "end a3",
    ]);
    // Nothing kept for accounts with nothing running or waiting.
    expect(accountQueueSize()).toBe(0);
  });
});
