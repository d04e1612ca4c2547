import type { ChatModel, ModelPrice } from "../api-types.ts";

/**
 * The least an answer holds before it starts: the server's floor of output tokens
 * (`minAnswerTokens`) at the model's output price (the prompt's share is small next to it). A
 * balance below it cannot start an answer on that model; above it, an answer starts, shorter if
 * need be. Null when the price is unknown.
 */
export function answerFloor(minAnswerTokens: number, price: ModelPrice | undefined): number | null {
  return price ? Math.ceil((minAnswerTokens * price.outputPer1k) / 1000) : null;
}

/** A model other than `current` whose answers `available` could still pay for, cheapest first. */
export function affordableAlternative(
  models: ChatModel[],
  prices: ReadonlyMap<string, ModelPrice>,
  current: string | undefined,
  available: number | undefined,
  minAnswerTokens: number,
): ChatModel | undefined {
  if (available === undefined || available <= 0) return undefined;
  const fitting = models
    .filter((m) => m.id !== current)
    .map((m) => ({ m, floor: answerFloor(Math.min(minAnswerTokens, m.maxOutputTokens), prices.get(m.id)) }))
    .filter((x): x is { m: ChatModel; floor: number } => x.floor !== null && x.floor < available * 0.9)
    .sort((a, b) => a.floor - b.floor);
  return fitting[0]?.m;
}
