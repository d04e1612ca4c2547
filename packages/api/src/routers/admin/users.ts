import { listUsers, USER_SORT_FIELDS, updateUserAccess } from "@parley/auth";
import { z } from "zod";
import { pageSchema, roleSchema } from "../../schemas.ts";
import { adminProcedure, router, supervisorProcedure } from "../../trpc.ts";

export const adminUsersRouter = router({
  /** Supervisors may look; only admins may change. */
  list: supervisorProcedure
    .input(
      z.object({
        ...pageSchema,
        search: z.string().trim().max(100).optional(),
        role: roleSchema.optional(),
        active: z.boolean().optional(),
        sort: z.enum(USER_SORT_FIELDS).optional(),
        order: z.enum(["asc", "desc"]).optional(),
      }),
    )
    .query(({ ctx, input }) => listUsers(ctx.em, input)),

  /** Deactivating a user ends their sessions and their running answers at once. */
  update: adminProcedure
    .input(z.object({ userId: z.uuid(), role: roleSchema.optional(), active: z.boolean().optional() }))
    .mutation(async ({ ctx, input }) => {
      const { user, deactivated } = await updateUserAccess(ctx.em, ctx.user.id, input);
      if (deactivated) {
        await ctx.services.sessions.endAllFor(user.id);
        // Stored as incomplete and charged for what they produced, like a stop.
        await ctx.services.chat.stopAllOf(user.id);
      }
      ctx.log.info(
        { actorId: ctx.user.id, userId: user.id, role: input.role, active: input.active },
        "user access changed",
      );
      return user;
    }),
});
