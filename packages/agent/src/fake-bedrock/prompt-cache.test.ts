import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type Message,
} from "@aws-sdk/client-bedrock-runtime";
import { ChatBedrockConverse } from "@langchain/aws";
import { AIMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeBedrock, startFakeBedrock } from "./server.ts";

// The fake's prompt cache through the real SDK and @langchain/aws: the usage Bedrock reports.

const MODEL = "anthropic.claude-3-7-sonnet-20250219-v1:0";
const words = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(" ");

let fake: FakeBedrock;
let client: BedrockRuntimeClient;
beforeAll(async () => {
  fake = await startFakeBedrock({ cacheMinTokens: 50 });
  client = new BedrockRuntimeClient({
    endpoint: fake.url,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
  });
});
afterAll(async () => {
  client.destroy();
  await fake.close();
});
beforeEach(() => fake.reset());

const cachePoint = { cachePoint: { type: "default" as const } };
const user = (text: string, cached = false): Message => ({
  role: "user",
  content: [{ text }, ...(cached ? [cachePoint] : [])],
});

describe("the fake's prompt cache", () => {
  it("writes a prefix at a cache point, then reads it back; usage splits the input as Bedrock does", async () => {
    const system = [{ text: words("s", 60) }, cachePoint];
    const first = await client.send(
      new ConverseCommand({ modelId: MODEL, system, messages: [user("hi [[fake tokens=3]]")] }),
    );
    expect(first.usage).toEqual({
      inputTokens: 3, // "hi" and the directive's two words, after the cache point
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 60,
      outputTokens: 3,
      totalTokens: 66,
    });
    const second = await client.send(
      new ConverseCommand({ modelId: MODEL, system, messages: [user("again [[fake tokens=3]]")] }),
    );
    expect(second.usage).toMatchObject({
      inputTokens: 3,
      cacheReadInputTokens: 60,
      cacheWriteInputTokens: 0,
    });
    // Another model has its own cache.
    const other = await client.send(
      new ConverseCommand({
        modelId: "anthropic.claude-sonnet-4-20250514-v1:0",
        system,
        messages: [user("x [[fake tokens=1]]")],
      }),
    );
    expect(other.usage).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: 60 });
  });

  it("a prefix under the minimum is not cached; without cache points usage has no cache fields", async () => {
    const small = await client.send(
      new ConverseCommand({ modelId: MODEL, messages: [user(`${words("a", 20)} [[fake tokens=1]]`, true)] }),
    );
    expect(small.usage).toMatchObject({ inputTokens: 22, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 });
    const plain = await client.send(
      new ConverseCommand({ modelId: MODEL, messages: [user("plain [[fake tokens=1]]")] }),
    );
    expect(plain.usage).toEqual({ inputTokens: 3, outputTokens: 1, totalTokens: 4 });
  });

  it("a growing conversation reads what the previous request cached, up to 20 blocks back (ConverseStream)", async () => {
    const turn1 = [user(`${words("q", 80)} [[fake tokens=2]]`, true)];
    const usageOf = async (messages: Message[]) => {
      const response = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages }));
      for await (const event of response.stream ?? []) if (event.metadata) return event.metadata.usage;
      throw new Error("no metadata event");
    };
    expect(await usageOf(turn1)).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: 82 });
    const turn2: Message[] = [
      user(`${words("q", 80)} [[fake tokens=2]]`),
      { role: "assistant", content: [{ text: "word1 word2" }] },
      user(`${words("r", 10)} [[fake tokens=2]]`, true),
    ];
    expect(await usageOf(turn2)).toMatchObject({
      inputTokens: 0,
      cacheReadInputTokens: 82,
      cacheWriteInputTokens: 14,
      totalTokens: 98,
    });
  });

  it("LangChain's cache_control places the points; usage_metadata carries the cache details", async () => {
    const model = new ChatBedrockConverse({ model: MODEL, region: "us-east-1", client }).withConfig({
      cache_control: { type: "ephemeral" },
    });
    const history = [new SystemMessage(words("s", 60)), new HumanMessage("one [[fake tokens=2]]")];
    await model.invoke(history);
    const body = fake.requests[0]?.body as { system: object[]; messages: { content: object[] }[] };
    expect(body.system.at(-1)).toEqual(cachePoint);
    expect(body.messages.at(-1)?.content.at(-1)).toEqual(cachePoint);
    const answer = await model.invoke([
      ...history,
      new AIMessage("word1 word2"),
      new HumanMessage("two [[fake tokens=2]]"),
    ]);
    expect(answer.usage_metadata).toMatchObject({
      input_tokens: 68, // LangChain's sum: 0 plain + 63 read + 5 written
      input_token_details: { cache_read: 63, cache_creation: 5 },
    });
  });

  it("echo answers with the system prompt, temperature and maxTokens the request carried", async () => {
    const response = await client.send(
      new ConverseCommand({
        modelId: MODEL,
        system: [{ text: "Be a pirate." }],
        messages: [user("who? [[fake echo]]")],
        inferenceConfig: { temperature: 0.5, maxTokens: 42 },
      }),
    );
    const text = response.output?.message?.content?.[0]?.text;
    expect(text).toBe("system=Be a pirate. temperature=0.5 maxTokens=42");
  });
});
