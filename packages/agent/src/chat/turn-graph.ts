import { cachingPriced, getBalance, type Price, usageStats } from "@parley/accounting";
import type { Database } from "@parley/db";
import type { ModelSpec } from "../configuration.ts";
import type { ChatTurn } from "../graph.ts";
import type { BedrockClients } from "../models.ts";

/** Per-turn model parameters (the OpenAI-compatible endpoint's, a chat's settings). */
export interface TurnParams {
  temperature?: number | undefined;
  /** At most the model's maximum output; the hold is sized by it. */
  maxTokens?: number | undefined;
  stop?: string[] | undefined;
}

/**
 * What the graph needs for one turn: the model (and the fallback model) with the turn's
 * parameters and prompt caching when it applies, whether tools are offered, the user whose my_usage they read, and where the text goes.
 */
export function chatTurnFor(
  deps: { db: Database; clients: BedrockClients; models: ModelSpec[]; fallbackModelId?: string | undefined },
  turn: { spec: ModelSpec; userId: string; params: TurnParams; tools: boolean; price: Price },
): Omit<ChatTurn, "onText"> {
  const { clients, fallbackModelId, models, db } = deps;
  const { spec, userId, params } = turn;
  const fallback =
    fallbackModelId && fallbackModelId !== spec.id ? models.find((m) => m.id === fallbackModelId) : undefined;
  return {
    model: clients.chatModel(spec, params),
    fallback: fallback ? clients.chatModel(fallback, params) : undefined,
    stop: params.stop,
    price: turn.price,
    // Cache points only for a model Bedrock caches, and only while an admin prices its cache.
    promptCaching: spec.promptCache !== undefined && cachingPriced(turn.price),
    fallbackPromptCaching: fallback?.promptCache !== undefined && cachingPriced(turn.price),
    tools: turn.tools,
    readUsage: async () => ({
      balance: await getBalance(db.em.fork(), userId),
      last30Days: (await usageStats(db.em.fork(), { userId })).totals,
    }),
  };
}
