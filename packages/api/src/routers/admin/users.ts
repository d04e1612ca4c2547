import {
  ADMIN_RESET_TTL_MS,
  createUserByAdmin,
  issuePasswordReset,
  listUsers,
  USER_SORT_FIELDS,
  updateUserAccess,
} from "@parley/auth";
import { z } from "zod";
import { grantWelcome, linkWithToken } from "../../account-links.ts";
import { auditActor } from "../../audit-actor.ts";
import {
  displayNameSchema,
  emailSchema,
  pageSchema,
  passwordSchema,
  roleSchema,
  safeString,
  userIdSchema,
  usernameSchema,
} from "../../schemas.ts";
import { adminProcedure, router, supervisorProcedure } from "../../trpc.ts";

export const adminUsersRouter = router({
  /** Supervisors may look; only admins may change. */
  list: supervisorProcedure
    .input(
      z.object({
        ...pageSchema,
        search: safeString().trim().max(100).optional(),
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
      const { user, deactivated } = await updateUserAccess(ctx.em, auditActor(ctx), input);
      // A new role applies to the next request, in every process.
      await ctx.services.sessions.invalidateUser(user.id);
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

  /**
   * Creates an account directly, in any registration mode. Without a password, the answer carries
   * a one-time reset link for the admin to hand over, so the person chooses their own.
   */
  create: adminProcedure
    .input(
      z.object({
        email: emailSchema,
        username: usernameSchema,
        displayName: displayNameSchema.optional(),
        role: roleSchema.optional(),
        password: passwordSchema.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const user = await createUserByAdmin(ctx.em, auditActor(ctx), input);
      await grantWelcome(ctx, user.id);
      const passwordResetUrl = input.password
        ? null
        : linkWithToken(
            ctx,
            "/reset-password",
            await issuePasswordReset(ctx.em, user.id, { actor: auditActor(ctx), ttlMs: ADMIN_RESET_TTL_MS }),
          );
      ctx.log.info({ actorId: ctx.user.id, userId: user.id, role: user.role }, "account created by an admin");
      return { user, passwordResetUrl };
    }),

  /** A one-time link that lets the account set a new password (no mail server needed). */
  createPasswordReset: adminProcedure
    .input(z.object({ userId: userIdSchema }))
    .mutation(async ({ ctx, input }) => {
      const token = await issuePasswordReset(ctx.em, input.userId, {
        actor: auditActor(ctx),
        ttlMs: ADMIN_RESET_TTL_MS,
      });
      ctx.log.info({ actorId: ctx.user.id, userId: input.userId }, "password-reset link issued");
      return { url: linkWithToken(ctx, "/reset-password", token) };
    }),
});
