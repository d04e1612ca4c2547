import { describe, expect, it } from "vitest";
import type { ChatEvent } from "./events.ts";
import { Transcript } from "./transcript.ts";

describe("Transcript", () => {
  it("sends the first text at once, coalesces the rest, and keeps the order of events", async () => {
    const events: ChatEvent[] = [];
    const transcript = new Transcript((event) => events.push(event), 20);
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
});
