import type { ChatBedrockConverse } from "@langchain/aws";
import type { AIMessageChunk } from "@langchain/core/messages";
import type { RunnableConfig } from "@langchain/core/runnables";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import type { Price } from "@parley/accounting";
import { describeModelError } from "./errors.ts";
import { type ModelCall, streamCall } from "./model-call.ts";
import { createTools, type UsageReader } from "./tools.ts";

/** What one turn hands the graph (compiled once per process) through `configurable.turn`. */
export interface ChatTurn {
  model: ChatBedrockConverse;
  /** Tried when the primary model fails with a retryable error before answering. */
  fallback?: ChatBedrockConverse | undefined;
  /** Whether the model is offered the tools (the OpenAI-compatible endpoint: no). */
  tools: boolean;
  /** Stop sequences: the model stops before writing one. */
  stop?: string[] | undefined;
  /** The price the turn's reservation holds, for each call's cost in its span. */
  price?: Price | undefined;
  /**
   * Bedrock prompt caching (for models that support it): LangChain's cache_control puts cache
   * points after the system prompt, the tools and the last message of every call, so the next call
   * (the next turn, or this turn after a tool) reads the conversation so far from the cache.
   */
  promptCaching?: boolean | undefined;
  /** The same for the fallback model (it may not support caching). */
  fallbackPromptCaching?: boolean | undefined;
  /** The user's own figures, for the my_usage tool. */
  readUsage: UsageReader;
  /**
   * Each text delta as the model streams it: a plain call, so tokens do not travel LangChain's
   * callbacks or LangGraph's output stream (the per-token cost the direct SDK path does not pay).
   */
  onText: (text: string) => void;
}

const turnOf = (config: RunnableConfig): ChatTurn => {
  const turn = config.configurable?.turn as ChatTurn | undefined;
  if (!turn) throw new Error("chat graph: configurable.turn is missing");
  return turn;
};

/** The tools, created once: my_usage reads the figures of the turn's user from its config. */
const TOOLS = createTools((config) => turnOf(config).readUsage(config));

/** The RunnableConfig of one turn of the compiled graph. */
export function chatTurnConfig(turn: ChatTurn, signal: AbortSignal): RunnableConfig {
  return { configurable: { turn }, signal, recursionLimit: 25 };
}

/**
 * The answer of one chat turn: model ⇄ tools until the model answers without calling a tool.
 * Compiled once; each turn's models, parameters and token sink come in its config. The graph knows
 * nothing of databases or credits: the turn runner meters what streams out of it, and settles and
 * stores the answer. A failed model call throws out of the graph.
 */
export function buildChatGraph() {
  const callOf = (
    model: ChatBedrockConverse,
    turn: ChatTurn,
    promptCaching: boolean | undefined,
  ): ModelCall => ({
    model,
    tools: turn.tools ? TOOLS : undefined,
    stop: turn.stop,
    promptCaching,
    price: turn.price,
    onText: turn.onText,
  });

  const callModel = async (state: typeof MessagesAnnotation.State, config: RunnableConfig) => {
    const turn = turnOf(config);
    try {
      return {
        messages: [await streamCall(callOf(turn.model, turn, turn.promptCaching), state.messages, config)],
      };
    } catch (error) {
      if (!turn.fallback || config.signal?.aborted || !describeModelError(error).retryable) throw error;
      const fallback = callOf(turn.fallback, turn, turn.fallbackPromptCaching);
      return { messages: [await streamCall(fallback, state.messages, config)] };
    }
  };

  const afterModel = (state: typeof MessagesAnnotation.State): "tools" | typeof END => {
    const last = state.messages[state.messages.length - 1] as AIMessageChunk | undefined;
    return last?.tool_calls?.length ? "tools" : END;
  };

  return new StateGraph(MessagesAnnotation)
    .addNode("model", callModel)
    .addNode("tools", new ToolNode(TOOLS))
    .addEdge(START, "model")
    .addConditionalEdges("model", afterModel, ["tools", END])
    .addEdge("tools", "model")
    .compile();
}

export type ChatGraph = ReturnType<typeof buildChatGraph>;
