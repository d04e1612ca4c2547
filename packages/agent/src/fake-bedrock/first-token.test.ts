import { type ChildProcess, spawn } from "node:child_process";
import { Agent, request } from "node:http";
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

/** A ConverseStream request for one user message. */
const STREAM_PATH = "/model/anthropic.claude-3-5-haiku-20241022-v1:0/converse-stream";
const requestBody = (directive: string) =>
  JSON.stringify({ messages: [{ role: "user", content: [{ text: directive }] }] });

/** When the first and the last bytes of an answer arrived, in ms after the request was sent. */
function timeAnswer(directive: string): Promise<{ first: number; end: number }> {
  const session = connect(url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = -1;
    const stream = session.request({
      ":method": "POST",
      ":path": STREAM_PATH,
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
    stream.end(requestBody(directive));
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

  it("ends a short answer at once, not after the client's delayed ACK (Nagle's algorithm is off)", async () => {
    // One keep-alive connection, as Parley's pool uses it: past a new connection's first segments
    // the client delays its ACKs (40 ms on Linux), and with Nagle on the fake would hold the
    // answer's last events back until then.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const tails: number[] = [];
    try {
      for (let i = 0; i < 8; i++) tails.push(await timeHttp1Tail(agent, "[[fake tokens=2]]"));
    } finally {
      agent.destroy();
    }
    const later = tails.slice(3).sort((a, b) => a - b);
    expect(later[Math.floor(later.length / 2)]).toBeLessThan(20);
  });
});

/** Over HTTP/1.1 on `agent`: ms from an answer's first bytes to its end. */
function timeHttp1Tail(agent: Agent, directive: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        hostname,
        port,
        method: "POST",
        path: STREAM_PATH,
        headers: { "content-type": "application/json" },
      },
      (response) => {
        let first = -1;
        response.on("data", () => {
          if (first < 0) first = performance.now();
        });
        response.on("end", () => resolve(performance.now() - first));
        response.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(requestBody(directive));
  });
}
