import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";

let instrumented = false;

/**
 * Traces LangChain and LangGraph runs with OpenInference's conventions (chains, graph nodes, and
 * LLM spans with the model, prompt and token counts), so Phoenix and Langfuse show them natively.
 * Call once, after the OpenTelemetry SDK is registered; it hooks LangChain's callback manager.
 */
export function instrumentLangChain(): void {
  if (instrumented) return;
  instrumented = true;
  new LangChainInstrumentation().manuallyInstrument(CallbackManagerModule);
}
