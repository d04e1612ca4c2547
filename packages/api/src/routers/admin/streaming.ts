import { listReservations } from "@parley/accounting";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { userIdSchema } from "../../schemas.ts";
import { router, supervisorProcedure } from "../../trpc.ts";

/** Supervisors look at one user's reservations at a time; only admins list everyone's. */
function assertMayListAll(role: string, userId: string | undefined): void {
  if (!userId && role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only admins can list every user's sessions." });
  }
}

export const adminStreamingRouter = router({
  /** Open reservations: one user's (supervisors), or everyone's (admins only). */
  active: supervisorProcedure
    .input(z.object({ userId: userIdSchema.optional() }).default({}))
    .query(({ ctx, input }) => {
      assertMayListAll(ctx.user.role, input.userId);
      return listReservations(ctx.em, { userId: input.userId, status: "open", limit: 500 });
    }),

  /** The most recent reservations, open or settled: one user's (supervisors), or everyone's (admins only). */
  recent: supervisorProcedure
    .input(z.object({ userId: userIdSchema.optional(), limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => {
      assertMayListAll(ctx.user.role, input.userId);
      return listReservations(ctx.em, input);
    }),
});
