import { Annotation, MessagesAnnotation } from "@langchain/langgraph";
import type { ModelFailure } from "./errors.ts";

export interface TokenUsage {
  input: number;
  output: number;
}

const addUsage = (a: TokenUsage, b: TokenUsage): TokenUsage => ({
  input: a.input + b.input,
  output: a.output + b.output,
});

/** The state of one chat turn as it moves through the graph. */
export const TurnState = Annotation.Root({
  /** System prompt, trimmed history, the new user message, then the model's and tools' messages. */
  ...MessagesAnnotation.spec,
  /** Tokens Bedrock reported, summed over every model call of the turn. */
  usage: Annotation<TokenUsage>({ reducer: addUsage, default: () => ({ input: 0, output: 0 }) }),
  /** Estimated prompt size, for the reservation (and for the abort path when Bedrock never reported). */
  promptEstimate: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }),
  reservationId: Annotation<string | null>({ reducer: (_a, b) => b, default: () => null }),
  failure: Annotation<ModelFailure | null>({ reducer: (_a, b) => b, default: () => null }),
});

export type TurnStateType = typeof TurnState.State;
