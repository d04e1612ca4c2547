import { HumanMessage } from "@langchain/core/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveModels } from "./configuration.ts";
import { describeModelError } from "./errors.ts";
import { type FakeBedrock, startFakeBedrock } from "./fake-bedrock/server.ts";
import { streamCall } from "./model-call.ts";
import { BedrockClients } from "./models.ts";

// One model call as the server makes it (its Bedrock client and chat model, the real SDK and
// @langchain/aws) against the fake Bedrock: the watchdog that ends a stream gone quiet (Parley's
// own, in place of the model's per-chunk one).

let fake: FakeBedrock;
let clients: BedrockClients;
beforeAll(async () => {
  fake = await startFakeBedrock();
  clients = new BedrockClients(
    {
      region: "us-east-1",
      endpoint: fake.url,
      maxAttempts: 1,
      credentials: { accessKeyId: "x", secretAccessKey: "y" },
    },
    { info: () => {} },
  );
});
afterAll(async () => {
  clients.destroy();
  await fake.close();
});

const [spec] = resolveModels(["anthropic.claude-3-5-haiku-20241022-v1:0"]);
const model = () => {
  if (!spec) throw new Error("no model");
  return clients.chatModel(spec);
};

function call(directive: string, options: { idleTimeoutMs: number; signal?: AbortSignal }) {
  const texts: string[] = [];
  const answer = streamCall(
    { model: model(), onText: (text) => texts.push(text), idleTimeoutMs: options.idleTimeoutMs },
    [new HumanMessage(`hello [[fake ${directive}]]`)],
    options.signal ? { signal: options.signal } : {},
  );
  return { texts, answer };
}

describe("a model call's idle watchdog", () => {
  it("times the quiet from the last chunk: a stream that keeps coming runs longer than the idle time", async () => {
    // Eight tokens 50 ms apart: 400 ms in all, never 300 ms quiet.
    const { texts, answer } = call("tokens=8 rate=20", { idleTimeoutMs: 300 });
    const message = await answer;
    expect(texts.join("").trim().split(" ")).toHaveLength(8);
    expect(message.usage_metadata?.output_tokens).toBe(8);
  });

  it("ends a stream that goes quiet, with LangChain's timeout error (a model error, not a stop)", async () => {
    // A token every two seconds: the call is quiet for 300 ms long before its first token.
    const started = performance.now();
    const { texts, answer } = call("tokens=3 rate=0.5", { idleTimeoutMs: 300 });
    const error = await answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/timed out after 300 ms while waiting/);
    expect(error).toMatchObject({ lc_error_code: "MODEL_STREAM_TIMEOUT" });
    expect(describeModelError(error).code).toBe("MODEL_ERROR");
    expect(texts).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1900);
  });

  it("still ends with a stop when the turn is stopped", async () => {
    const stop = new AbortController();
    const { answer } = call("tokens=50 rate=20", { idleTimeoutMs: 5000, signal: stop.signal });
    setTimeout(() => stop.abort(), 120);
    const error = await answer.catch((e: unknown) => e);
    expect(describeModelError(error).code).toBe("STOPPED");
  });
});
