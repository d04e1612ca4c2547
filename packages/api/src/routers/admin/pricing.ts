import { listModels, updatePrice } from "@parley/accounting";
import { z } from "zod";
import { auditActor } from "../../audit-actor.ts";
import { displayNameSchema, modelIdSchema } from "../../schemas.ts";
import { adminProcedure, router, supervisorProcedure } from "../../trpc.ts";

const pricePer1kSchema = z.number().int("Prices are whole credits per 1,000 tokens.").min(0).max(10_000_000);

export const adminPricingRouter = router({
  list: supervisorProcedure.query(({ ctx }) => listModels(ctx.em)),

  /** A new price applies to reservations made from now on; past charges never change. */
  update: adminProcedure
    .input(
      z.object({
        modelId: modelIdSchema,
        inputPer1k: pricePer1kSchema.optional(),
        outputPer1k: pricePer1kSchema.optional(),
        displayName: displayNameSchema.min(1).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const updated = await updatePrice(ctx.em, auditActor(ctx), input);
      ctx.log.info({ actorId: ctx.user.id, ...updated }, "model price changed");
      return updated;
    }),
});
