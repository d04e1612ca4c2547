import type { ChatBedrockConverse } from "@langchain/aws";
import type { AIMessage } from "@langchain/core/messages";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { creditsFor, type Price } from "@parley/accounting";
import { inSpan } from "@parley/core";
import { describeModelError } from "./errors.ts";

export interface ChatGraphOptions {
  model: ChatBedrockConverse;
  /** Tried when the primary model fails with a retryable error before answering. */
  fallback?: ChatBedrockConverse | undefined;
  tools: StructuredToolInterface[];
  /** Stop sequences: the model stops before writing one. */
  stop?: string[] | undefined;
  /** The price the turn's reservation holds, for each call's cost in its span. */
  price?: Price | undefined;
}

/**
 * The answer of one chat turn: model ⇄ tools until the model answers without calling a tool.
 * The graph knows nothing of databases or credits: the turn runner meters what streams out of it,
 * and settles and stores the answer. A failed model call throws out of the graph.
 */
export function buildChatGraph(options: ChatGraphOptions) {
  const callOptions = options.stop?.length ? { stop: options.stop } : {};
  const bind = (model: ChatBedrockConverse) =>
    options.tools.length > 0 ? model.bindTools(options.tools, callOptions) : model.withConfig(callOptions);
  const primary = bind(options.model);
  const fallback = options.fallback ? bind(options.fallback) : undefined;

  const invoke = (
    model: typeof primary,
    modelId: string,
    state: typeof MessagesAnnotation.State,
    config: RunnableConfig,
  ) =>
    inSpan(
      "bedrock.converse",
      {
        "openinference.span.kind": "LLM",
        "llm.provider": "aws",
        "llm.system": "amazon_bedrock",
        "llm.model_name": modelId,
      },
      async (span) => {
        const response = (await model.invoke(state.messages, config)) as AIMessage;
        const tokens = {
          input: response.usage_metadata?.input_tokens ?? 0,
          output: response.usage_metadata?.output_tokens ?? 0,
        };
        span.setAttributes({
          "llm.token_count.prompt": tokens.input,
          "llm.token_count.completion": tokens.output,
          "llm.token_count.total": tokens.input + tokens.output,
          ...(options.price
            ? { "llm.cost.total": creditsFor(options.price, tokens), "parley.cost.unit": "credits" }
            : {}),
        });
        return response;
      },
    );

  const callModel = async (state: typeof MessagesAnnotation.State, config: RunnableConfig) => {
    try {
      return { messages: [await invoke(primary, options.model.model, state, config)] };
    } catch (error) {
      if (!fallback || !options.fallback || config.signal?.aborted || !describeModelError(error).retryable)
        throw error;
      return { messages: [await invoke(fallback, options.fallback.model, state, config)] };
    }
  };

  const afterModel = (state: typeof MessagesAnnotation.State): "tools" | typeof END => {
    if (options.tools.length === 0) return END;
    const last = state.messages[state.messages.length - 1] as AIMessage | undefined;
    return last?.tool_calls?.length ? "tools" : END;
  };

  return new StateGraph(MessagesAnnotation)
    .addNode("model", callModel)
    .addNode("tools", new ToolNode(options.tools))
    .addEdge(START, "model")
    .addConditionalEdges("model", afterModel, ["tools", END])
    .addEdge("tools", "model")
    .compile();
}

export type ChatGraph = ReturnType<typeof buildChatGraph>;
