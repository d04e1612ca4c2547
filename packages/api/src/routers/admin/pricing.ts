import { listModels, updatePrice } from "@parley/accounting";
import { MAX_CACHE_PRICE_PER_1M, MAX_PRICE_PER_1K } from "@parley/validators";
import { z } from "zod";
import { auditActor } from "../../audit-actor.ts";
import { displayNameSchema, modelIdSchema } from "../../schemas.ts";
import { adminProcedure, router, supervisorProcedure } from "../../trpc.ts";

const pricePer1kSchema = z
  .number()
  .int("Prices are whole credits per 1,000 tokens.")
  .min(0)
  .max(MAX_PRICE_PER_1K);
/** Prompt-cache prices: whole credits per million tokens; null turns caching off for the model. */
const pricePer1mSchema = z
  .number()
  .int("Cache prices are whole credits per million tokens.")
  .min(0)
  .max(MAX_CACHE_PRICE_PER_1M)
  .nullable();

export const adminPricingRouter = router({
  list: supervisorProcedure.query(({ ctx }) => listModels(ctx.em)),

  /** A new price applies to reservations made from now on; past charges never change. */
  update: adminProcedure
    .input(
      z.object({
        modelId: modelIdSchema,
        inputPer1k: pricePer1kSchema.optional(),
        outputPer1k: pricePer1kSchema.optional(),
        cacheReadPer1m: pricePer1mSchema.optional(),
        cacheWritePer1m: pricePer1mSchema.optional(),
        displayName: displayNameSchema.min(1).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const updated = await updatePrice(ctx.em, auditActor(ctx), input);
      ctx.log.info({ actorId: ctx.user.id, ...updated }, "model price changed");
      return updated;
    }),
});
