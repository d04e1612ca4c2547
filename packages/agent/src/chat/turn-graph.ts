import { getBalance, type Price, usageStats } from "@parley/accounting";
import type { Database } from "@parley/db";
import type { ModelSpec } from "../configuration.ts";
import { buildChatGraph } from "../graph.ts";
import type { BedrockClients } from "../models.ts";
import { createTools } from "../tools.ts";

/** Per-turn model parameters (the OpenAI-compatible endpoint's, a chat's settings). */
export interface TurnParams {
  temperature?: number | undefined;
  /** At most the model's maximum output; the hold is sized by it. */
  maxTokens?: number | undefined;
  stop?: string[] | undefined;
}

/**
 * The graph of one turn: the model (and the fallback model) with the turn's parameters, and the
 * tools bound to the user (whose my_usage they read) — or no tools.
 */
export function graphForTurn(
  deps: { db: Database; clients: BedrockClients; models: ModelSpec[]; fallbackModelId?: string | undefined },
  turn: { spec: ModelSpec; userId: string; params: TurnParams; tools: boolean; price: Price },
) {
  const { clients, fallbackModelId, models, db } = deps;
  const { spec, userId, params } = turn;
  const fallback =
    fallbackModelId && fallbackModelId !== spec.id ? models.find((m) => m.id === fallbackModelId) : undefined;
  return buildChatGraph({
    model: clients.chatModel(spec, params),
    fallback: fallback ? clients.chatModel(fallback, params) : undefined,
    stop: params.stop,
    price: turn.price,
    tools: turn.tools
      ? createTools(async () => ({
          balance: await getBalance(db.em.fork(), userId),
          last30Days: (await usageStats(db.em.fork(), { userId })).totals,
        }))
      : [],
  });
}
