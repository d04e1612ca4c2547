import {
  adjustCredits,
  allocateCredits,
  getBalance,
  ledgerHistory,
  listGrants,
  removeCredits,
  setCredits,
} from "@parley/accounting";
import { findUser, toPublicUser } from "@parley/auth";
import { LEDGER_ENTRY_TYPES } from "@parley/db";
import { MAX_CREDITS } from "@parley/validators";
import { z } from "zod";
import { auditActor } from "../../audit-actor.ts";
import {
  creditsSchema,
  emailSchema,
  expiryDaysSchema,
  notesSchema,
  pageSchema,
  signedCreditsSchema,
  userIdSchema,
} from "../../schemas.ts";
import { router, supervisorProcedure } from "../../trpc.ts";

const target = { userId: userIdSchema, notes: notesSchema.optional() };

/** Supervisors and admins manage credits; every movement is a ledger entry and an audit record naming its actor. */
export const adminCreditsRouter = router({
  balanceOf: supervisorProcedure
    .input(
      z.union([z.object({ userId: userIdSchema }), z.object({ email: emailSchema })], {
        error: "Give a userId or an email.",
      }),
    )
    .query(async ({ ctx, input }) => {
      const user = await findUser(ctx.em, input);
      return { user: toPublicUser(user), ...(await getBalance(ctx.em, user.id)) };
    }),

  allocate: supervisorProcedure
    .input(z.object({ ...target, credits: creditsSchema, expiryDays: expiryDaysSchema.optional() }))
    .mutation(({ ctx, input }) => allocateCredits(ctx.em, { actor: auditActor(ctx), ...input })),

  set: supervisorProcedure
    .input(
      z.object({
        ...target,
        credits: z.number().int().min(0).max(MAX_CREDITS),
        expiryDays: expiryDaysSchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) => setCredits(ctx.em, { actor: auditActor(ctx), ...input })),

  remove: supervisorProcedure
    .input(z.object({ ...target, credits: creditsSchema }))
    .mutation(({ ctx, input }) => removeCredits(ctx.em, { actor: auditActor(ctx), ...input })),

  adjust: supervisorProcedure
    .input(z.object({ ...target, adjustment: signedCreditsSchema, expiryDays: expiryDaysSchema.optional() }))
    .mutation(({ ctx, input }) => adjustCredits(ctx.em, { actor: auditActor(ctx), ...input })),

  historyOf: supervisorProcedure
    .input(z.object({ userId: userIdSchema, ...pageSchema, type: z.enum(LEDGER_ENTRY_TYPES).optional() }))
    .query(async ({ ctx, input }) => {
      await findUser(ctx.em, input);
      return ledgerHistory(ctx.em, input);
    }),

  grantsOf: supervisorProcedure.input(z.object({ userId: userIdSchema })).query(async ({ ctx, input }) => {
    await findUser(ctx.em, input);
    return listGrants(ctx.em, input.userId);
  }),
});
