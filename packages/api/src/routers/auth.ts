import { allocateCredits } from "@parley/accounting";
import {
  authenticate,
  changePassword,
  getUser,
  type PublicUser,
  registerUser,
  toPublicUser,
  updateProfile,
} from "@parley/auth";
import { z } from "zod";
import type { Context } from "../context.ts";
import { displayNameSchema, emailSchema, passwordSchema, usernameSchema } from "../schemas.ts";
import { protectedProcedure, publicProcedure, router } from "../trpc.ts";

/** Opens a session for the user: sets the cookie (for browsers) and returns the token (for programs). */
async function signIn(ctx: Context, user: PublicUser): Promise<{ user: PublicUser; token: string }> {
  const { token, expiresAt } = await ctx.services.sessions.create(user.id, {
    userAgent: ctx.request.userAgent?.slice(0, 300) ?? null,
    ipAddress: ctx.request.ipAddress,
  });
  ctx.cookies.set(token, expiresAt);
  return { user, token };
}

export const authRouter = router({
  register: publicProcedure
    .input(
      z.object({
        email: emailSchema,
        username: usernameSchema,
        password: passwordSchema,
        displayName: displayNameSchema.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const user = await registerUser(ctx.em, input);
      const credits = ctx.services.accounting.signupCredits;
      if (credits > 0) {
        // The system (no actor) grants the welcome credits; the ledger says so.
        await allocateCredits(ctx.em, { actorId: null, userId: user.id, credits, notes: "welcome credits" });
      }
      return signIn(ctx, user);
    }),

  login: publicProcedure
    .input(z.object({ login: z.string().trim().min(1).max(254), password: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      const user = await authenticate(ctx.em, { ...input, ipAddress: ctx.request.ipAddress });
      return signIn(ctx, user);
    }),

  logout: protectedProcedure.mutation(async ({ ctx }) => {
    await ctx.services.sessions.end(ctx.session.token);
    ctx.cookies.clear();
    return { ok: true as const };
  }),

  logoutEverywhere: protectedProcedure.mutation(async ({ ctx }) => {
    await ctx.services.sessions.endAllFor(ctx.user.id);
    ctx.cookies.clear();
    return { ok: true as const };
  }),

  /** Single-sign-on providers for the sign-in page's "Sign in with …" buttons (empty: none). */
  ssoProviders: publicProcedure.query(({ ctx }) => ctx.services.ssoProviders),

  me: protectedProcedure.query(async ({ ctx }) => toPublicUser(await getUser(ctx.em, ctx.user.id))),

  updateProfile: protectedProcedure
    .input(
      z.object({
        displayName: displayNameSchema.optional(),
        username: usernameSchema.optional(),
        email: emailSchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateProfile(ctx.em, ctx.user.id, input)),

  /** Changing the password signs out every other session; this one stays. */
  changePassword: protectedProcedure
    .input(z.object({ currentPassword: passwordSchema, newPassword: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      await changePassword(ctx.em, ctx.user.id, input);
      await ctx.services.sessions.endOthersFor(ctx.user.id, ctx.session.token);
      return { ok: true as const };
    }),
});
