import { DomainError } from "@parley/core";
import { type AuditActor, type EntityManager, ModelPrice, recordAudit, User } from "@parley/db";

/**
 * A model's price in whole credits per 1,000 tokens, and — for a model with prompt caching — per
 * million tokens read from and written to the cache (finer: a cache read costs a tenth of input).
 * Null cache prices: the model is not cached (no cache points are sent for it).
 */
export interface Price {
  inputPer1k: number;
  outputPer1k: number;
  cacheReadPer1m?: number | null | undefined;
  cacheWritePer1m?: number | null | undefined;
}

/** Tokens as Bedrock bills them: `input` is what was neither read from nor written to the cache. */
export interface BilledTokens {
  input: number;
  output: number;
  cacheRead?: number | undefined;
  cacheWrite?: number | undefined;
}

export interface ModelPricing extends Price {
  modelId: string;
  displayName: string;
  cacheReadPer1m: number | null;
  cacheWritePer1m: number | null;
}

/**
 * The cost of a call in credits: exact integer arithmetic, rounded up to the next whole credit so
 * that a stream of tiny calls cannot be free.
 */
export function creditsFor(price: Price, tokens: BilledTokens): number {
  // In millionths of a credit, as BigInt: exact whatever the counts. Cache tokens of a model with
  // no cache price are charged as input (parley_reservation_cost does the same).
  const per1m = (per1k: number) => BigInt(per1k) * 1000n;
  const millionths =
    BigInt(tokens.input) * per1m(price.inputPer1k) +
    BigInt(tokens.output) * per1m(price.outputPer1k) +
    BigInt(tokens.cacheRead ?? 0) * BigInt(price.cacheReadPer1m ?? price.inputPer1k * 1000) +
    BigInt(tokens.cacheWrite ?? 0) * BigInt(price.cacheWritePer1m ?? price.inputPer1k * 1000);
  return Number((millionths + 999_999n) / 1_000_000n);
}

/** True when prompt caching applies at this price (both cache prices set). */
export function cachingPriced(price: Price): boolean {
  return (price.cacheReadPer1m ?? null) !== null && (price.cacheWritePer1m ?? null) !== null;
}

/**
 * Stores the configured models' prices. Models already in the table keep their price (an admin
 * may have changed it); new ones are inserted. Models no longer configured are disabled.
 */
export async function syncModelPrices(em: EntityManager, catalog: readonly ModelPricing[]): Promise<void> {
  await em.fork().transactional(async (tx) => {
    for (const model of catalog) {
      await tx.execute(
        `insert into model_prices (model_id, display_name, input_per1k, output_per1k, cache_read_per1m,
                                   cache_write_per1m, enabled)
         values (?, ?, ?, ?, ?, ?, true)
         on conflict (model_id) do update set enabled = true`,
        [
          model.modelId,
          model.displayName,
          model.inputPer1k,
          model.outputPer1k,
          model.cacheReadPer1m,
          model.cacheWritePer1m,
        ],
      );
    }
    await tx.nativeUpdate(
      ModelPrice,
      { modelId: { $nin: catalog.map((m) => m.modelId) } },
      { enabled: false },
    );
  });
}

export async function listModels(em: EntityManager): Promise<ModelPricing[]> {
  const rows = await em.find(ModelPrice, { enabled: true }, { orderBy: { displayName: "asc" } });
  return rows.map(pricingOf);
}

function pricingOf(row: ModelPrice): ModelPricing {
  return {
    modelId: row.modelId,
    displayName: row.displayName,
    inputPer1k: row.inputPer1k,
    outputPer1k: row.outputPer1k,
    cacheReadPer1m: row.cacheReadPer1m ?? null,
    cacheWritePer1m: row.cacheWritePer1m ?? null,
  };
}

/** The current price of an enabled model, or BAD_REQUEST naming the models there are. */
export async function priceOf(em: EntityManager, modelId: string): Promise<ModelPricing> {
  const row = await em.findOne(ModelPrice, { modelId, enabled: true });
  if (row) return pricingOf(row);
  const available = (await listModels(em)).map((m) => m.modelId);
  throw new DomainError(
    "BAD_REQUEST",
    `Unknown model "${modelId}". Available: ${available.join(", ") || "none"}.`,
    {
      field: "modelId",
      models: available,
    },
  );
}

/**
 * Changes a model's price from now on; reservations already open keep the price they were made at.
 * The `price.update` audit record is flushed with the change in one transaction.
 */
export async function updatePrice(
  em: EntityManager,
  actor: AuditActor,
  input: {
    modelId: string;
    inputPer1k?: number | undefined;
    outputPer1k?: number | undefined;
    /** Null turns prompt caching off for the model. */
    cacheReadPer1m?: number | null | undefined;
    cacheWritePer1m?: number | null | undefined;
    displayName?: string | undefined;
  },
): Promise<ModelPricing> {
  const row = await em.findOne(ModelPrice, { modelId: input.modelId });
  if (!row) throw new DomainError("NOT_FOUND", `No model "${input.modelId}".`, { field: "modelId" });
  const before = { ...pricingOf(row) };
  if (input.inputPer1k !== undefined) row.inputPer1k = input.inputPer1k;
  if (input.outputPer1k !== undefined) row.outputPer1k = input.outputPer1k;
  if (input.cacheReadPer1m !== undefined) row.cacheReadPer1m = input.cacheReadPer1m;
  if (input.cacheWritePer1m !== undefined) row.cacheWritePer1m = input.cacheWritePer1m;
  if (((row.cacheReadPer1m ?? null) === null) !== ((row.cacheWritePer1m ?? null) === null)) {
    throw new DomainError(
      "BAD_REQUEST",
      "Set both cache prices (read and write) to price prompt caching, or clear both to turn it off.",
      { field: input.cacheReadPer1m !== undefined ? "cacheReadPer1m" : "cacheWritePer1m" },
    );
  }
  if (input.displayName !== undefined) row.displayName = input.displayName;
  row.updatedAt = new Date();
  row.updatedBy = em.getReference(User, actor.id);
  recordAudit(em, actor, {
    action: "price.update",
    targetType: "model",
    targetId: row.modelId,
    before,
    after: { ...pricingOf(row) },
  });
  await em.flush();
  return pricingOf(row);
}
