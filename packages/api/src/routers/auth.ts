import {
  authenticate,
  changePassword,
  type PublicUser,
  registerUnderPolicy,
  requestPasswordReset,
  resetPassword,
  updateProfile,
} from "@parley/auth";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { grantWelcome, linkWithToken } from "../account-links.ts";
import type { Context } from "../context.ts";
import { displayNameSchema, emailSchema, passwordSchema, safeString, usernameSchema } from "../schemas.ts";
import { protectedProcedure, publicProcedure, router, sessionProcedure } from "../trpc.ts";
import { apiKeysRouter } from "./api-keys.ts";

/** Opens a session for the user: sets the cookie (for browsers) and returns the token (for programs). */
async function signIn(ctx: Context, user: PublicUser): Promise<{ user: PublicUser; token: string }> {
  const { token, expiresAt, signedInAt } = await ctx.services.sessions.create(user.id, {
    userAgent: ctx.request.userAgent?.slice(0, 300) ?? null,
    ipAddress: ctx.request.ipAddress,
  });
  ctx.cookies.set(token, expiresAt);
  return { user: { ...user, lastLoginAt: signedInAt }, token };
}

/** A one-time link token: 43 URL-safe characters as issued; anything far off is refused early. */
const linkTokenSchema = safeString()
  .trim()
  .min(20)
  .max(100)
  .regex(/^[\w-]+$/, "This link is malformed.");

export const authRouter = router({
  /** What the sign-up and sign-in pages offer: the registration mode and whether reset mails work. */
  registrationMode: publicProcedure.query(({ ctx }) => {
    const { registration, mailer } = ctx.services.accounts;
    return {
      mode: registration.mode,
      emailDomains: registration.emailDomains,
      passwordResetByEmail: mailer !== null,
    };
  }),

  register: publicProcedure
    .input(
      z.object({
        email: emailSchema,
        username: usernameSchema,
        password: passwordSchema,
        displayName: displayNameSchema.optional(),
        invitationToken: linkTokenSchema.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const user = await registerUnderPolicy(ctx.em, ctx.services.accounts.registration, input);
      await grantWelcome(ctx, user.id);
      return signIn(ctx, user);
    }),

  /** Sets a new password through a one-time reset link; every session of the account ends. */
  resetPassword: publicProcedure
    .input(z.object({ token: linkTokenSchema, newPassword: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      const { userId } = await resetPassword(ctx.em, input);
      await ctx.services.sessions.endAllFor(userId);
      ctx.log.info({ userId }, "password reset through a link");
      return { ok: true as const };
    }),

  /**
   * Mails a reset link when the address has an account. The answer is the same either way, and
   * comes before any lookup or mail, so neither its content nor its timing tells.
   */
  requestPasswordReset: publicProcedure.input(z.object({ email: emailSchema })).mutation(({ ctx, input }) => {
    const { mailer } = ctx.services.accounts;
    if (!mailer) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: "Password reset by e-mail is not available. Ask an administrator.",
      });
    }
    requestPasswordReset(ctx.em, input.email, (to, token) =>
      mailer.sendPasswordReset(to, linkWithToken(ctx, "/reset-password", token)),
    ).catch((err: unknown) => ctx.log.error({ err }, "password-reset mail failed"));
    return { ok: true as const };
  }),

  login: publicProcedure
    .input(z.object({ login: safeString().trim().min(1).max(254), password: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      const user = await authenticate(ctx.em, { ...input, ipAddress: ctx.request.ipAddress });
      return signIn(ctx, user);
    }),

  logout: sessionProcedure.mutation(async ({ ctx }) => {
    await ctx.services.sessions.end(ctx.session);
    ctx.cookies.clear();
    return { ok: true as const };
  }),

  logoutEverywhere: sessionProcedure.mutation(async ({ ctx }) => {
    await ctx.services.sessions.endAllFor(ctx.user.id);
    ctx.cookies.clear();
    return { ok: true as const };
  }),

  /** Single-sign-on providers for the sign-in page's "Sign in with …" buttons (empty: none). */
  ssoProviders: publicProcedure.query(({ ctx }) => ctx.services.ssoProviders),

  // The user was just read (or taken from the cache, which every change to a user invalidates).
  me: protectedProcedure.query(({ ctx }) => ctx.user),

  /**
   * The signed-in session's user, or null: how the SPA asks "who am I?" on load without a 401
   * (and its console error) for everyone not yet signed in. API keys use `auth.me`.
   */
  session: publicProcedure.query(({ ctx }) => (ctx.session ? ctx.user : null)),

  updateProfile: sessionProcedure
    .input(
      z.object({
        displayName: displayNameSchema.optional(),
        username: usernameSchema.optional(),
        email: emailSchema.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const user = await updateProfile(ctx.em, ctx.user.id, input);
      await ctx.services.sessions.invalidateUser(ctx.user.id);
      return user;
    }),

  /** Changing the password signs out every other session; this one stays. */
  changePassword: sessionProcedure
    .input(z.object({ currentPassword: passwordSchema, newPassword: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      await changePassword(ctx.em, ctx.user.id, { ...input, ipAddress: ctx.request.ipAddress });
      await ctx.services.sessions.endOthersFor(ctx.user.id, ctx.session.token);
      return { ok: true as const };
    }),

  apiKeys: apiKeysRouter,
});
