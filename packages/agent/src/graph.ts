import type { ChatBedrockConverse } from "@langchain/aws";
import type { AIMessage, BaseMessage } from "@langchain/core/messages";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { END, START, StateGraph } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import type { ModelSpec } from "./configuration.ts";
import type { ModelFailure } from "./errors.ts";
import { describeModelError } from "./errors.ts";
import { buildPrompt, type HistoryMessage } from "./history.ts";
import { type TokenUsage, TurnState, type TurnStateType } from "./state.ts";

/**
 * What the graph needs from the outside world, so it stays free of databases and HTTP:
 * the chat service implements these with the ledger and the session store.
 */
export interface TurnPorts {
  loadHistory(): Promise<HistoryMessage[]>;
  /** Holds credits for the estimate; throws (PAYMENT_REQUIRED) when they are not there. */
  reserve(estimate: TokenUsage): Promise<string>;
  /** Finalizes the reservation with Bedrock's figures (summed over the turn's model calls). */
  settle(outcome: { reservationId: string; usage: TokenUsage }): Promise<void>;
  /** Stores the answer and the tools it used. */
  persist(outcome: { messages: BaseMessage[]; usage: TokenUsage }): Promise<void>;
  /** Aborts the reservation for what was produced and stores what the user saw. */
  fail(outcome: {
    reservationId: string | null;
    usage: TokenUsage;
    promptEstimate: number;
    failure: ModelFailure;
  }): Promise<void>;
}

export interface TurnGraphOptions {
  spec: ModelSpec;
  model: ChatBedrockConverse;
  /** Tried when the primary model keeps failing with a retryable error before answering. */
  fallback?: { spec: ModelSpec; model: ChatBedrockConverse } | undefined;
  tools: StructuredToolInterface[];
  systemPrompt: string;
  content: string;
  ports: TurnPorts;
}

/**
 * One chat turn: prepare → reserve → model ⇄ tools → settle → persist → END, with an error path (fail)
 * from the model node. Built per turn, so the ports and tools close over the turn's user.
 */
export function buildTurnGraph(options: TurnGraphOptions) {
  const { ports } = options;
  const primary = options.model.bindTools(options.tools);
  const fallback = options.fallback?.model.bindTools(options.tools);

  const prepare = async () => {
    const { messages, estimate } = buildPrompt({
      systemPrompt: options.systemPrompt,
      history: await ports.loadHistory(),
      content: options.content,
      contextWindow: options.spec.contextWindow,
      maxOutputTokens: options.spec.maxOutputTokens,
    });
    return { messages, promptEstimate: estimate };
  };

  const reserve = async (state: TurnStateType) => ({
    reservationId: await ports.reserve({ input: state.promptEstimate, output: options.spec.maxOutputTokens }),
  });

  const callModel = async (state: TurnStateType, config: RunnableConfig) => {
    try {
      const response = (await primary.invoke(state.messages, config)) as AIMessage;
      return { messages: [response], usage: usageOf(response) };
    } catch (error) {
      const failure = describeModelError(error);
      if (failure.retryable && fallback && !config.signal?.aborted) {
        try {
          const response = (await fallback.invoke(state.messages, config)) as AIMessage;
          return { messages: [response], usage: usageOf(response) };
        } catch (fallbackError) {
          return { failure: describeModelError(fallbackError) };
        }
      }
      return { failure };
    }
  };

  const afterModel = (state: TurnStateType): "tools" | "settle" | "fail" => {
    if (state.failure) return "fail";
    const last = state.messages[state.messages.length - 1] as AIMessage | undefined;
    return last?.tool_calls?.length ? "tools" : "settle";
  };

  const settle = async (state: TurnStateType) => {
    await ports.settle({ reservationId: state.reservationId ?? "", usage: state.usage });
    return {};
  };

  const persist = async (state: TurnStateType) => {
    await ports.persist({ messages: state.messages, usage: state.usage });
    return {};
  };

  const fail = async (state: TurnStateType) => {
    await ports.fail({
      reservationId: state.reservationId,
      usage: state.usage,
      promptEstimate: state.promptEstimate,
      failure: state.failure ?? describeModelError(new Error("unknown")),
    });
    return {};
  };

  return new StateGraph(TurnState)
    .addNode("prepare", prepare)
    .addNode("reserve", reserve)
    .addNode("model", callModel)
    .addNode("tools", new ToolNode(options.tools))
    .addNode("settle", settle)
    .addNode("persist", persist)
    .addNode("fail", fail)
    .addEdge(START, "prepare")
    .addEdge("prepare", "reserve")
    .addEdge("reserve", "model")
    .addConditionalEdges("model", afterModel, ["tools", "settle", "fail"])
    .addEdge("tools", "model")
    .addEdge("settle", "persist")
    .addEdge("persist", END)
    .addEdge("fail", END)
    .compile();
}

function usageOf(message: AIMessage): TokenUsage {
  return {
    input: message.usage_metadata?.input_tokens ?? 0,
    output: message.usage_metadata?.output_tokens ?? 0,
  };
}
