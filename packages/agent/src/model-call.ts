import type { ChatBedrockConverse } from "@langchain/aws";
import { AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { creditsFor, type Price } from "@parley/accounting";
import { inSpan } from "@parley/core";
import { billedTokens } from "./billed-tokens.ts";
import { textOf } from "./history.ts";
import { STREAM_IDLE_TIMEOUT_MS, StreamWatchdog } from "./stream-watchdog.ts";
import { langChainTraced } from "./telemetry.ts";

/** One Bedrock call of a turn: the model and what the call adds to it. */
export interface ModelCall {
  model: ChatBedrockConverse;
  /** Offered to the model (none: a plain answer). */
  tools?: StructuredToolInterface[] | undefined;
  stop?: string[] | undefined;
  /** Bedrock prompt caching: cache points after the system prompt, the tools and the last message. */
  promptCaching?: boolean | undefined;
  /** The price the turn's reservation holds, for the call's cost in its span. */
  price?: Price | undefined;
  /** Each text delta as it streams. */
  onText: (text: string) => void;
  /** How long the stream may go without a chunk (default STREAM_IDLE_TIMEOUT_MS). */
  idleTimeoutMs?: number | undefined;
}

/**
 * One Bedrock call, streamed inside the model node: each text delta goes to `onText`, and the
 * deltas are gathered into the call's message (with Bedrock's usage and any tool calls).
 */
export function streamCall(
  call: ModelCall,
  messages: BaseMessage[],
  config: RunnableConfig,
): Promise<AIMessageChunk> {
  const attributes = {
    "openinference.span.kind": "LLM",
    "llm.provider": "aws",
    "llm.system": "amazon_bedrock",
    "llm.model_name": call.model.model,
  };
  return inSpan("bedrock.converse", attributes, async (span) => {
    const answer = new AnswerGatherer();
    let firstText = true;
    for await (const chunk of modelChunks(call, messages, config)) {
      const text = textOf(chunk);
      if (text) call.onText(text);
      answer.add(chunk);
      if (text && firstText) {
        firstText = false;
        // The first token's way to the browser (bus, stream, socket write) runs in microtasks and a
        // nextTick, after the chunks that came in the same network read are all decoded: for a fast
        // answer hundreds of them. One turn of the event loop here lets it out first.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const response = answer.message();
    const tokens = billedTokens(response.usage_metadata);
    const prompt = tokens.input + tokens.cacheRead + tokens.cacheWrite;
    span.setAttributes({
      "llm.token_count.prompt": prompt,
      "llm.token_count.prompt_details.cache_read": tokens.cacheRead,
      "llm.token_count.prompt_details.cache_write": tokens.cacheWrite,
      "llm.token_count.completion": tokens.output,
      "llm.token_count.total": prompt + tokens.output,
      ...(call.price
        ? { "llm.cost.total": creditsFor(call.price, tokens), "parley.cost.unit": "credits" }
        : {}),
    });
    return response;
  });
}

/**
 * The call's message chunks. Traced, through `stream()`, so the call keeps its place in
 * LangChain's run tree. Untraced, straight from the model's own chunk generator: `stream()` then
 * only costs, for every chunk, a callback-manager set-up, a web-stream hop and a merge of all chunks
 * so far (a third of the server's CPU per token with 100 answers streaming: bench:stream, 146 → 98 ms
 * per 1,000 tokens). The model's own idle watchdog is off there: a StreamWatchdog keeps the call
 * from hanging, at less cost per chunk.
 * An abort ends the call with the signal's error, as `stream()` does.
 */
async function* modelChunks(
  call: ModelCall,
  messages: BaseMessage[],
  config: RunnableConfig,
): AsyncGenerator<AIMessageChunk> {
  const options = {
    ...(call.stop?.length ? { stop: call.stop } : {}),
    ...(call.promptCaching ? { cache_control: { type: "ephemeral" as const } } : {}),
  };
  if (langChainTraced()) {
    const bound = call.tools ? call.model.bindTools(call.tools, options) : call.model.withConfig(options);
    yield* await bound.stream(messages, config);
    return;
  }
  const { signal } = config;
  const watchdog = new StreamWatchdog(call.idleTimeoutMs ?? STREAM_IDLE_TIMEOUT_MS, signal);
  try {
    const chunks = call.model._streamResponseChunks(messages, {
      ...options,
      ...(call.tools ? { tools: call.tools } : {}),
      signal: watchdog.signal,
      streamIdleTimeout: 0, // the watchdog's job, at less cost per chunk
    });
    for await (const chunk of chunks) {
      watchdog.chunk();
      signal?.throwIfAborted();
      yield chunk.message as AIMessageChunk;
    }
    // An aborted stream may just end: a call the watchdog ended has failed all the same.
    if (watchdog.timedOut) throw watchdog.timedOut;
  } catch (error) {
    throw watchdog.timedOut ?? error;
  } finally {
    watchdog.stop();
  }
  signal?.throwIfAborted();
}

/**
 * Gathers a call's chunks into its message. Merging chunks (AIMessageChunk.concat) costs
 * microseconds each; plain text deltas — nearly all of them — are joined as strings instead, and
 * only the others (tool call pieces, usage, any non-text content) are merged, in their order.
 */
class AnswerGatherer {
  #merged: AIMessageChunk | undefined;
  #text: string[] = [];

  add(chunk: AIMessageChunk): void {
    const plainText =
      typeof chunk.content === "string" &&
      !chunk.tool_call_chunks?.length &&
      chunk.usage_metadata === undefined &&
      Object.keys(chunk.additional_kwargs).length === 0;
    if (plainText) this.#text.push(chunk.content as string);
    else this.#merge(chunk);
  }

  message(): AIMessageChunk {
    this.#flushText();
    if (!this.#merged) throw new Error("Bedrock returned no message.");
    return this.#merged;
  }

  #merge(chunk: AIMessageChunk): void {
    this.#flushText();
    this.#merged = this.#merged ? this.#merged.concat(chunk) : chunk;
  }

  #flushText(): void {
    if (this.#text.length === 0) return;
    const text = new AIMessageChunk({ content: this.#text.join("") });
    this.#text = [];
    this.#merged = this.#merged ? this.#merged.concat(text) : text;
  }
}
