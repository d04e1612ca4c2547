import { defineEntity, p } from "@mikro-orm/core";
import { User } from "./user.ts";

/**
 * The current price of a model in credits per 1,000 tokens (integers: no floats for money), and
 * of its prompt cache per million tokens.
 * Seeded from configuration at start without overwriting an admin's change.
 */
export const ModelPriceSchema = defineEntity({
  name: "ModelPrice",
  tableName: "model_prices",
  checks: [{ name: "model_prices_nonnegative", expression: "input_per1k >= 0 and output_per1k >= 0" }],
  properties: {
    modelId: p.string().length(200).primary(),
    displayName: p.string().length(100),
    inputPer1k: p.integer(),
    outputPer1k: p.integer(),
    /** Credits per million tokens read from / written to Bedrock's prompt cache; null: not cached. */
    cacheReadPer1m: p.integer().nullable(),
    cacheWritePer1m: p.integer().nullable(),
    enabled: p.boolean().default(true),
    updatedAt: p.datetime().defaultRaw("now()"),
    updatedBy: () => p.manyToOne(User).nullable().deleteRule("set null"),
  },
});

export class ModelPrice extends ModelPriceSchema.class {}
ModelPriceSchema.setClass(ModelPrice);
