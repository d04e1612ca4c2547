import { t } from "@lingui/core/macro";
import { useMemo } from "react";
import type { ChatModel, ModelPrice } from "../api-types.ts";
import { trpc } from "../trpc.ts";

export interface ChatSetup {
  models: ChatModel[];
  /** Prices by model id (an admin may change them, so they come from accounting.models). */
  prices: ReadonlyMap<string, ModelPrice>;
  maxMessageChars: number;
  /** Limits on files and images per message. */
  attachments: { maxBytes: number; maxPerMessage: number };
  /** The fewest output tokens an answer starts with (the server's floor for a reduced hold). */
  minAnswerTokens: number;
  demo: boolean;
  defaultModelId: string | undefined;
  displayName: (modelId: string | null | undefined) => string;
}

/** What the chat screen needs before it can send: the models, their prices, the limits. */
export function useChatConfig() {
  const config = trpc.sessions.config.useQuery(undefined, { staleTime: 5 * 60_000 });
  // Prices are decoration: the composer works without them, so their failure is not the page's.
  const models = trpc.accounting.models.useQuery(undefined, { staleTime: 60_000 });

  const setup = useMemo((): ChatSetup | undefined => {
    if (!config.data) return undefined;
    const prices = new Map((models.data ?? []).map((m) => [m.modelId, m]));
    const names = new Map(config.data.models.map((m) => [m.id, m.displayName]));
    return {
      models: config.data.models,
      prices,
      maxMessageChars: config.data.maxMessageChars,
      attachments: config.data.attachments,
      minAnswerTokens: config.data.minAnswerTokens,
      demo: config.data.demo,
      defaultModelId: config.data.models[0]?.id,
      displayName: (id) => (id ? (names.get(id) ?? prices.get(id)?.displayName ?? id) : t`Unknown model`),
    };
  }, [config.data, models.data]);

  return { setup, query: config };
}
