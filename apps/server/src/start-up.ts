// The data work a start does once, however many processes serve: with PARLEY_WORKERS > 1 the
// primary does it before forking the workers, so they never race each other over it.
import { type ModelPricing, syncModelPrices } from "@parley/accounting";
import type { ModelSpec } from "@parley/agent";
import type { Database } from "@parley/db";
import { removeDemoCreditsOutsideDemo } from "./accounts.ts";
import type { Config } from "./config.ts";
import { createFirstAdmin } from "./first-admin.ts";
import type { Logger } from "./logger.ts";
import { welcomeCredits } from "./welcome.ts";

/** The first admin (ADMIN_EMAIL), demo credits outside demo mode, and the models' prices. */
export async function prepareData(
  db: Database,
  config: Config,
  { demo, models }: { demo: boolean; models: ModelSpec[] },
  logger: Logger,
): Promise<void> {
  await createFirstAdmin(db, config, welcomeCredits(config, demo), logger);
  await removeDemoCreditsOutsideDemo(db, demo, logger);
  await syncModelPrices(db.em.fork(), priceCatalog(config, models));
}

/**
 * Prices to store: the chat models (from BEDROCK_MODEL_ARNS, priced by the catalog or
 * MODEL_PRICES), plus models only priced through MODEL_PRICES (metered through the API by other
 * services, not offered for chat).
 */
function priceCatalog(config: Config, chatModels: ModelSpec[]): ModelPricing[] {
  const catalog = new Map<string, ModelPricing>(
    chatModels.map((m) => [
      m.id,
      {
        modelId: m.id,
        displayName: m.displayName,
        inputPer1k: m.inputPer1k,
        outputPer1k: m.outputPer1k,
        cacheReadPer1m: m.promptCache?.readPer1m ?? null,
        cacheWritePer1m: m.promptCache?.writePer1m ?? null,
      },
    ]),
  );
  for (const [modelId, price] of Object.entries(config.MODEL_PRICES)) {
    if (catalog.has(modelId)) continue;
    catalog.set(modelId, {
      modelId,
      displayName: price.displayName ?? modelId,
      inputPer1k: price.inputPer1k,
      outputPer1k: price.outputPer1k,
      cacheReadPer1m: price.cacheReadPer1m ?? null,
      cacheWritePer1m: price.cacheWritePer1m ?? null,
    });
  }
  return [...catalog.values()];
}
