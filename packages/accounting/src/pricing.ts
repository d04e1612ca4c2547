import { DomainError } from "@parley/core";
import { type AuditActor, type EntityManager, ModelPrice, recordAudit, User } from "@parley/db";

/** A model's price in whole credits per 1,000 tokens. */
export interface Price {
  inputPer1k: number;
  outputPer1k: number;
}

export interface ModelPricing extends Price {
  modelId: string;
  displayName: string;
}

/**
 * The cost of a call in credits: exact integer arithmetic, rounded up to the next whole credit so
 * that a stream of tiny calls cannot be free.
 */
export function creditsFor(price: Price, tokens: { input: number; output: number }): number {
  const thousandths = tokens.input * price.inputPer1k + tokens.output * price.outputPer1k;
  return Math.ceil(thousandths / 1000);
}

/**
 * Stores the configured models' prices. Models already in the table keep their price (an admin
 * may have changed it); new ones are inserted. Models no longer configured are disabled.
 */
export async function syncModelPrices(em: EntityManager, catalog: readonly ModelPricing[]): Promise<void> {
  await em.fork().transactional(async (tx) => {
    for (const model of catalog) {
      await tx.execute(
        `insert into model_prices (model_id, display_name, input_per1k, output_per1k, enabled)
         values (?, ?, ?, ?, true)
         on conflict (model_id) do update set enabled = true`,
        [model.modelId, model.displayName, model.inputPer1k, model.outputPer1k],
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
  return rows.map((row) => ({
    modelId: row.modelId,
    displayName: row.displayName,
    inputPer1k: row.inputPer1k,
    outputPer1k: row.outputPer1k,
  }));
}

/** The current price of an enabled model, or BAD_REQUEST naming the models there are. */
export async function priceOf(em: EntityManager, modelId: string): Promise<ModelPricing> {
  const row = await em.findOne(ModelPrice, { modelId, enabled: true });
  if (row) return row;
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
    displayName?: string | undefined;
  },
): Promise<ModelPricing> {
  const row = await em.findOne(ModelPrice, { modelId: input.modelId });
  if (!row) throw new DomainError("NOT_FOUND", `No model "${input.modelId}".`, { field: "modelId" });
  const before = { displayName: row.displayName, inputPer1k: row.inputPer1k, outputPer1k: row.outputPer1k };
  if (input.inputPer1k !== undefined) row.inputPer1k = input.inputPer1k;
  if (input.outputPer1k !== undefined) row.outputPer1k = input.outputPer1k;
  if (input.displayName !== undefined) row.displayName = input.displayName;
  row.updatedAt = new Date();
  row.updatedBy = em.getReference(User, actor.id);
  recordAudit(em, actor, {
    action: "price.update",
    targetType: "model",
    targetId: row.modelId,
    before,
    after: { displayName: row.displayName, inputPer1k: row.inputPer1k, outputPer1k: row.outputPer1k },
  });
  await em.flush();
  return {
    modelId: row.modelId,
    displayName: row.displayName,
    inputPer1k: row.inputPer1k,
    outputPer1k: row.outputPer1k,
  };
}
