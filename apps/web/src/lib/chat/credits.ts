import type { ChatModel, ModelPrice } from "../api-types.ts";

/**
 * Roughly what an answer on `model` holds before it starts: its longest possible answer at the
 * output price (the prompt's share is small next to it). Used only to suggest a model that fits.
 */
export function approximateHold(model: ChatModel, price: ModelPrice | undefined): number | null {
  if (!price) return null;
  return Math.ceil((model.maxOutputTokens * price.outputPer1k) / 1000);
}

/** A model other than `current` whose answers `available` could still pay for, cheapest first. */
export function affordableAlternative(
  models: ChatModel[],
  prices: ReadonlyMap<string, ModelPrice>,
  current: string | undefined,
  available: number | undefined,
): ChatModel | undefined {
  if (available === undefined || available <= 0) return undefined;
  const fitting = models
    .filter((m) => m.id !== current)
    .map((m) => ({ m, hold: approximateHold(m, prices.get(m.id)) }))
    .filter((x): x is { m: ChatModel; hold: number } => x.hold !== null && x.hold < available * 0.9)
    .sort((a, b) => a.hold - b.hold);
  return fitting[0]?.m;
}
