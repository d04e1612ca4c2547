import * as CallbackManagerModule from "@langchain/core/callbacks/manager";

let instrumented = false;

/**
 * Traces LangChain and LangGraph runs with OpenInference's conventions (chains, graph nodes, and
 * LLM spans with the model, prompt and token counts), so Phoenix and Langfuse show them natively.
 * Call once, after the OpenTelemetry SDK is registered; it hooks LangChain's callback manager.
 * Loaded here, not at start: an untraced server need not hold it.
 */
export async function instrumentLangChain(): Promise<void> {
  if (instrumented) return;
  instrumented = true;
  const { LangChainInstrumentation } = await import("@arizeai/openinference-instrumentation-langchain");
  new LangChainInstrumentation().manuallyInstrument(CallbackManagerModule);
}

/** Whether LangChain's runs are traced (then a model call keeps its place in LangChain's run tree). */
export const langChainTraced = (): boolean => instrumented;
