import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from "@aws-sdk/client-bedrock-runtime";
import { ChatBedrockConverse } from "@langchain/aws";
import { type AIMessage, type AIMessageChunk, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { fakeText, fakeWords } from "./answer.ts";
import { DEFAULT_BEHAVIOUR, findDirective, formatDirective, parseBehaviourSpec } from "./behaviours.ts";
import { decodeFrame, encodeEvent, encodeException } from "./event-stream.ts";
import { type FakeBedrock, startFakeBedrock } from "./server.ts";

// Drives the real ChatBedrockConverse -> BedrockRuntimeClient -> HTTP/2 path against the fake.

const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

let fake: FakeBedrock;
beforeAll(async () => {
  fake = await startFakeBedrock();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.setDefault({});
});

function chatModel(clientConfig: BedrockRuntimeClientConfig = {}, model = MODEL): ChatBedrockConverse {
  const client = new BedrockRuntimeClient({
    endpoint: fake.url,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
    ...clientConfig,
  });
  return new ChatBedrockConverse({ model, region: "us-east-1", client });
}

async function collect(stream: AsyncIterable<AIMessageChunk>): Promise<AIMessageChunk[]> {
  const chunks: AIMessageChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function merged(chunks: AIMessageChunk[]): AIMessageChunk {
  const [first, ...rest] = chunks;
  if (!first) throw new Error("no chunks");
  return rest.reduce((acc, chunk) => acc.concat(chunk), first);
}

function texts(chunks: AIMessageChunk[]): string[] {
  return chunks.map((c) => c.text).filter((t) => t.length > 0);
}

const weather = tool(async ({ city }) => `Sunny in ${city}`, {
  name: "get_weather",
  description: "Current weather of a city",
  schema: z.object({ city: z.string() }),
});

describe("fake Bedrock through ChatBedrockConverse", () => {
  it("streams N tokens as chunks with the exact text, then usage on the final message", async () => {
    const chunks = await collect(await chatModel().stream("Say hello [[fake tokens=5]]"));
    expect(texts(chunks)).toEqual(fakeWords(5));
    const message = merged(chunks);
    expect(message.text).toBe("word1 word2 word3 word4 word5");
    // input: "Say hello [[fake tokens=5]]" is 4 words
    expect(message.usage_metadata).toMatchObject({ input_tokens: 4, output_tokens: 5, total_tokens: 9 });
    expect(fake.requests).toMatchObject([
      { modelId: MODEL, operation: "converse-stream", status: 200, aborted: false, tokensSent: 5 },
    ]);
  });

  it("answers invoke with the non-streaming converse operation, decoding an ARN model id", async () => {
    const arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku";
    fake.setDefault("tokens=7");
    const message = await chatModel({}, arn).invoke("hello there");
    expect(message.content).toBe(fakeText(7));
    expect(message.usage_metadata).toMatchObject({ input_tokens: 2, output_tokens: 7, total_tokens: 9 });
    expect(fake.requests).toMatchObject([
      { modelId: arn, operation: "converse", status: 200, tokensSent: 7 },
    ]);
  });

  it("calls a bound tool, then answers from its result", async () => {
    const model = chatModel().bindTools([weather]);
    const ask = new HumanMessage(
      `What is the weather? ${formatDirective({ tool: { name: weather.name, input: { city: "Paris" } } })}`,
    );
    const call = (await model.invoke([ask])) as AIMessage;
    expect(call.tool_calls).toEqual([
      {
        name: "get_weather",
        args: { city: "Paris" },
        id: expect.stringMatching(/^tooluse_/),
        type: "tool_call",
      },
    ]);
    const body = fake.requests[0]?.body as { toolConfig?: { tools?: { toolSpec?: { name?: string } }[] } };
    expect(body.toolConfig?.tools?.[0]?.toolSpec?.name).toBe("get_weather");

    const id = call.tool_calls?.[0]?.id ?? "";
    const result = new ToolMessage({ content: "Sunny in Paris", tool_call_id: id });
    const chunks = await collect(await model.stream([ask, call, result]));
    expect(merged(chunks).text).toBe("Tool get_weather returned: Sunny in Paris");
  });

  it("streams a tool call whose input chunks LangChain parses", async () => {
    const model = chatModel().bindTools([weather]);
    const input = { city: "Saint-Étienne, France" };
    const chunks = await collect(
      await model.stream(
        `Weather? [[fake tool=get_weather input=${encodeURIComponent(JSON.stringify(input))}]]`,
      ),
    );
    const message = merged(chunks);
    expect(message.tool_calls).toMatchObject([{ name: "get_weather", args: input }]);
    expect(message.usage_metadata?.output_tokens).toBe(fake.requests[0]?.tokensSent);
  });

  it("retries throttling: throttle=2 succeeds on the third of 3 attempts", async () => {
    // The default throttling backoff is random up to 1 s then 2 s: 10 ms keeps the test fast.
    const model = chatModel({ retryStrategy: new ConfiguredRetryStrategy(3, 10) });
    const message = await model.invoke("hi [[fake throttle=2 tokens=3]]");
    expect(message.content).toBe(fakeText(3));
    expect(fake.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it("gives up with ThrottlingException when throttle outlasts maxAttempts", async () => {
    const model = chatModel({ retryStrategy: new ConfiguredRetryStrategy(3, 10) });
    await expect(model.invoke("hi [[fake throttle=5]]")).rejects.toMatchObject({
      name: "ThrottlingException",
      $metadata: { httpStatusCode: 429, attempts: 3 },
    });
    expect(fake.requests).toHaveLength(3);
  });

  it("fail-after=5 yields 5 tokens then throws ModelStreamErrorException", async () => {
    const chunks: AIMessageChunk[] = [];
    const run = async () => {
      for await (const chunk of await chatModel().stream("go [[fake tokens=20 fail-after=5]]"))
        chunks.push(chunk);
    };
    await expect(run()).rejects.toMatchObject({ name: "ModelStreamErrorException" });
    expect(texts(chunks)).toEqual(fakeWords(5));
    expect(fake.requests).toHaveLength(1); // mid-stream exceptions are never retried
  });

  it("no-stop ends the stream after the text, without usage", async () => {
    const chunks = await collect(await chatModel().stream("go [[fake tokens=4 no-stop]]"));
    const message = merged(chunks);
    expect(message.text).toBe(fakeText(4));
    expect(message.usage_metadata).toBeUndefined();
    expect(message.response_metadata.messageStop).toBeUndefined();
  });

  it("text= answers with exactly that text, whitespace and newlines kept", async () => {
    const markdown = "## Title\n\n- one\n- two\n\n```ts\nconst x = 1;\n```";
    const chunks = await collect(await chatModel().stream(`md ${formatDirective({ text: markdown })}`));
    expect(merged(chunks).content).toBe(markdown);
    expect(chunks.filter((c) => c.content !== "").length).toBeGreaterThan(5);
  });

  it("bigdelta sends the whole answer as one chunk; delta=N groups N tokens", async () => {
    expect(texts(await collect(await chatModel().stream("go [[fake tokens=12 bigdelta]]")))).toEqual([
      fakeText(12),
    ]);
    const grouped = texts(await collect(await chatModel().stream("go [[fake tokens=5 delta=2]]")));
    expect(grouped).toEqual(["word1 word2", " word3 word4", " word5"]);
  });

  it("error=AccessDeniedException:403 throws that error, not retried", async () => {
    await expect(chatModel().invoke("hi [[fake error=AccessDeniedException:403]]")).rejects.toMatchObject({
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 403 },
    });
    await expect(chatModel().stream("hi [[fake error=ValidationException:400]]")).rejects.toMatchObject({
      name: "ValidationException",
    });
    expect(fake.requests.map((r) => r.status)).toEqual([403, 400]);
  });

  it("a malformed directive is answered with ValidationException", async () => {
    await expect(chatModel().invoke("hi [[fake tokens=lots]]")).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("tokens needs an integer"),
    });
  });

  it("caps the answer at inferenceConfig.maxTokens with stopReason max_tokens", async () => {
    const client = new BedrockRuntimeClient({
      endpoint: fake.url,
      region: "us-east-1",
      credentials: { accessKeyId: "x", secretAccessKey: "y" },
    });
    const model = new ChatBedrockConverse({ model: MODEL, region: "us-east-1", client, maxTokens: 3 });
    const message = await model.invoke("hi [[fake tokens=10]]");
    expect(message.content).toBe(fakeText(3));
    expect(message.response_metadata.stopReason).toBe("max_tokens");
  });

  it("aborting mid-stream stops the fake within ~200 ms", async () => {
    const controller = new AbortController();
    const chunks: AIMessageChunk[] = [];
    let abortedAt = 0;
    const run = async () => {
      const stream = await chatModel().stream("go [[fake tokens=100 rate=50]]", {
        signal: controller.signal,
      });
      for await (const chunk of stream) {
        chunks.push(chunk);
        if (texts(chunks).length === 3) {
          abortedAt = Date.now();
          controller.abort();
        }
      }
    };
    await run().catch(() => {}); // LangChain throws an abort error or just ends; either is fine here
    await fake.idle();
    const [request] = fake.requests;
    expect(request?.aborted).toBe(true);
    expect(request?.tokensSent).toBeLessThan(10);
    expect((request?.finishedAt ?? Number.POSITIVE_INFINITY) - abortedAt).toBeLessThan(200);
  });

  it("is reached through AWS_ENDPOINT_URL_BEDROCK_RUNTIME without passing a client", async () => {
    const saved = process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = fake.url;
    try {
      const model = new ChatBedrockConverse({
        model: MODEL,
        region: "us-east-1",
        credentials: { accessKeyId: "x", secretAccessKey: "y" },
      });
      expect((await model.invoke("hi [[fake tokens=2]]")).content).toBe(fakeText(2));
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
      else process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = saved;
    }
  });
});

describe("directives", () => {
  it("parses every key", () => {
    expect(
      parseBehaviourSpec(
        "tokens=3 rate=2.5 delta=4 tool=t input=%7B%22a%22%3A1%7D throttle=2 fail-after=1 no-stop error=AccessDeniedException",
      ),
    ).toEqual({
      tokens: 3,
      rate: 2.5,
      delta: 4,
      tool: { name: "t", input: { a: 1 } },
      throttle: 2,
      failAfter: 1,
      noStop: true,
      error: { name: "AccessDeniedException", status: 403 },
    });
    expect(parseBehaviourSpec("error=ValidationException:400:on-demand%20isn%E2%80%99t%3A%20no")).toEqual({
      error: { name: "ValidationException", status: 400, message: "on-demand isn’t: no" },
    });
    expect(parseBehaviourSpec("bigdelta")).toEqual({ delta: "all" });
    expect(() => parseBehaviourSpec("colour=blue")).toThrow(/unknown directive key/);
    expect(() => parseBehaviourSpec("input={}")).toThrow(/needs tool=/);
  });

  it("finds the last directive and round-trips formatDirective", () => {
    expect(findDirective("no directive")).toBeUndefined();
    expect(findDirective("[[fake tokens=1]] then [[fake tokens=2]]")).toBe("tokens=2");
    expect(findDirective("[[fake]]")).toBe("");
    const behaviour = { tokens: 2, tool: { name: "x", input: { q: "a b]]" } }, noStop: true };
    expect(parseBehaviourSpec(findDirective(formatDirective(behaviour)) ?? "")).toEqual(behaviour);
    expect(DEFAULT_BEHAVIOUR.tokens).toBe(20);
  });
});

describe("event-stream frames", () => {
  it("encode events and exceptions with the headers the SDK reads", () => {
    expect(decodeFrame(encodeEvent("messageStop", { stopReason: "end_turn" }))).toEqual({
      headers: {
        ":message-type": "event",
        ":event-type": "messageStop",
        ":content-type": "application/json",
      },
      payload: { stopReason: "end_turn" },
    });
    expect(decodeFrame(encodeException("throttlingException", "slow down")).headers).toMatchObject({
      ":message-type": "exception",
      ":exception-type": "throttlingException",
    });
  });
});
