import { systemUsageStats, usageStats } from "@parley/accounting";
import { findUser } from "@parley/auth";
import { z } from "zod";
import { dateSchema, userIdSchema } from "../../schemas.ts";
import { adminProcedure, router, supervisorProcedure } from "../../trpc.ts";

const period = { from: dateSchema.optional(), to: dateSchema.optional() };

export const adminUsageRouter = router({
  statsOf: supervisorProcedure
    .input(z.object({ userId: userIdSchema, ...period }))
    .query(async ({ ctx, input }) => {
      await findUser(ctx.em, input);
      return usageStats(ctx.em, input);
    }),

  systemStats: adminProcedure
    .input(z.object({ ...period, topUsers: z.number().int().min(1).max(100).optional() }).default({}))
    .query(({ ctx, input }) => systemUsageStats(ctx.em, input)),
});
