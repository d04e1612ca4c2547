import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChatEvent } from "./events.ts";
import { coalesceWindowMs, Transcript } from "./transcript.ts";

afterEach(() => {
  vi.useRealTimers();
});

describe("Transcript", () => {
  it("sends the first text at once, coalesces the rest, and keeps the order of events", async () => {
    const events: ChatEvent[] = [];
    const transcript = new Transcript(
      (event) => events.push(event),
      () => 20,
    );
    transcript.addText("Hello");
    transcript.addText(" there");
    transcript.addText(" friend");
    expect(events).toEqual([{ type: "token", text: "Hello" }]);
    transcript.toolCall({ id: "t1", name: "calculator", args: { expression: "1+1" } });
    transcript.toolResult("t1", undefined, "2");
    expect(events.map((e) => e.type)).toEqual(["token", "token", "toolCall", "toolResult"]);
    expect(events[1]).toEqual({ type: "token", text: " there friend" });
    expect(events[3]).toEqual({ type: "toolResult", id: "t1", name: "calculator", result: "2" });
    expect(transcript.text).toBe("Hello there friend");
    expect([...transcript.toolCalls.values()]).toEqual([
      { id: "t1", name: "calculator", args: { expression: "1+1" }, result: "2" },
    ]);
    transcript.addText("!");
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(events.at(-1)).toEqual({ type: "token", text: "!" });
  });

  it("under load (a wide window) still delivers every token once, in order", () => {
    vi.useFakeTimers();
    const events: ChatEvent[] = [];
    let streaming = 1;
    const transcript = new Transcript(
      (event) => events.push(event),
      () => coalesceWindowMs(25, streaming),
    );
    const words = Array.from({ length: 500 }, (_, i) => ` w${i}`);
    for (const [i, word] of words.entries()) {
      if (i === 100) streaming = 500; // many answers start: the next windows widen
      transcript.addText(word);
      vi.advanceTimersByTime(20); // 50 tokens a second
    }
    transcript.flush();
    const texts = events.map((e) => (e.type === "token" ? e.text : ""));
    expect(texts.join("")).toBe(words.join(""));
    // Fewer, larger events once the window widened: at 250 ms, about 12 tokens each.
    const late = texts.slice(-10);
    expect(Math.min(...late.slice(0, -1).map((t) => t.split(" ").length - 1))).toBeGreaterThanOrEqual(10);
    expect(events.length).toBeLessThan(100);
  });

  it("with the window at 0 sends every text as it comes", () => {
    const events: ChatEvent[] = [];
    const transcript = new Transcript(
      (event) => events.push(event),
      () => 0,
    );
    for (const word of ["a", " b", " c"]) transcript.addText(word);
    expect(events).toEqual(["a", " b", " c"].map((text) => ({ type: "token", text })));
  });
});

describe("coalesceWindowMs", () => {
  it("keeps the configured window for a few answers, widens with many, up to a cap; 0 stays off", () => {
    expect(coalesceWindowMs(25, 1)).toBe(26);
    expect(coalesceWindowMs(25, 25)).toBe(50);
    expect(coalesceWindowMs(25, 100)).toBe(125);
    expect(coalesceWindowMs(25, 500)).toBe(250);
    expect(coalesceWindowMs(25, 10_000)).toBe(250);
    expect(coalesceWindowMs(400, 100)).toBe(400); // a configured window above the cap is kept
    expect(coalesceWindowMs(0, 100)).toBe(0);
  });

  it("follows the whole machine: each of two workers with 50 answers takes the window of 100", () => {
    expect(coalesceWindowMs(25, 50, 2)).toBe(coalesceWindowMs(25, 100));
    expect(coalesceWindowMs(25, 50, 1)).toBe(75);
    expect(coalesceWindowMs(25, 300, 2)).toBe(250);
  });
});
