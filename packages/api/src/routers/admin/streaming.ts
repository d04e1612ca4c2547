import { listReservations } from "@parley/accounting";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { userIdSchema } from "../../schemas.ts";
import { router, supervisorProcedure } from "../../trpc.ts";

export const adminStreamingRouter = router({
  /** Open reservations: one user's (supervisors), or everyone's (admins only). */
  active: supervisorProcedure
    .input(z.object({ userId: userIdSchema.optional() }).default({}))
    .query(({ ctx, input }) => {
      if (!input.userId && ctx.user.role !== "admin") {
        throw new TRPCError({ code: "FORBIDDEN", message: "Only admins can list every user's sessions." });
      }
      return listReservations(ctx.em, { userId: input.userId, status: "open", limit: 500 });
    }),

  /** The most recent reservations, open or settled. */
  recent: supervisorProcedure
    .input(z.object({ userId: userIdSchema.optional(), limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => listReservations(ctx.em, input)),
});
