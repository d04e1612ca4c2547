import { defineEntity, p } from "@mikro-orm/core";
import { User } from "./user.ts";

/**
 * The current price of a model in credits per 1,000 tokens (integers: no floats for money).
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
    enabled: p.boolean().default(true),
    updatedAt: p.datetime().defaultRaw("now()"),
    updatedBy: () => p.manyToOne(User).nullable().deleteRule("set null"),
  },
});

export class ModelPrice extends ModelPriceSchema.class {}
ModelPriceSchema.setClass(ModelPrice);
