import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:http2";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The fake in a process of its own, as Bedrock is: in the test's process its writing and the
// client's reading would take turns on one event loop, whatever the fake did.
let child: ChildProcess;
let url: string;
beforeAll(async () => {
  child = spawn(process.execPath, [fileURLToPath(new URL("./main.ts", import.meta.url)), "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  url = await new Promise<string>((resolve, reject) => {
    let seen = "";
    child.stdout?.on("data", (data: Buffer) => {
      seen += data.toString();
      const match = /listening on (\S+)/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`fake-bedrock exited (${code}): ${seen}`)));
  });
});
afterAll(() => {
  child.kill();
});

/** When the first and the last bytes of an answer arrived, in ms after the request was sent. */
function timeAnswer(directive: string): Promise<{ first: number; end: number }> {
  const session = connect(url);
  const body = JSON.stringify({ messages: [{ role: "user", content: [{ text: directive }] }] });
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = -1;
    const stream = session.request({
      ":method": "POST",
      ":path": "/model/anthropic.claude-3-5-haiku-20241022-v1:0/converse-stream",
      "content-type": "application/json",
    });
    stream.on("data", () => {
      if (first < 0) first = performance.now() - started;
    });
    stream.on("end", () => {
      session.close();
      resolve({ first, end: performance.now() - started });
    });
    stream.on("error", reject);
    stream.end(body);
  });
}

describe("fake Bedrock's timing", () => {
  it("unpaced, sends the first token before it encodes the rest of the answer", async () => {
    await timeAnswer("warm up [[fake tokens=100]]");
    // 20,000 frames take the fake a few hundred ms to encode; the first must not wait for them.
    const { first, end } = await timeAnswer("[[fake tokens=20000]]");
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(end / 4);
  });
});
