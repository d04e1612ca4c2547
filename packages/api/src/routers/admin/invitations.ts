import { createInvitation, listInvitations, revokeInvitation } from "@parley/auth";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { linkWithToken } from "../../account-links.ts";
import { auditActor } from "../../audit-actor.ts";
import { emailSchema, roleSchema } from "../../schemas.ts";
import { adminProcedure, router } from "../../trpc.ts";

/** Single-use, expiring invitation links (admins only). */
export const adminInvitationsRouter = router({
  /** The link is shown once: only its token's hash is stored. */
  create: adminProcedure
    .input(
      z
        .object({
          email: emailSchema.optional(),
          role: roleSchema.optional(),
          expiryDays: z.number().int().min(1).max(90).optional(),
        })
        .default({}),
    )
    .mutation(async ({ ctx, input }) => {
      if (ctx.services.accounts.registration.mode === "closed") {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: "Registration is closed, so invitations cannot be used: create the account directly.",
        });
      }
      const { invitation, token } = await createInvitation(ctx.em, auditActor(ctx), input);
      ctx.log.info(
        { actorId: ctx.user.id, invitationId: invitation.id, role: invitation.role },
        "invitation created",
      );
      return { invitation, url: linkWithToken(ctx, "/register", token) };
    }),

  list: adminProcedure.query(({ ctx }) => listInvitations(ctx.em)),

  revoke: adminProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    const invitation = await revokeInvitation(ctx.em, auditActor(ctx), input.id);
    ctx.log.info({ actorId: ctx.user.id, invitationId: invitation.id }, "invitation revoked");
    return invitation;
  }),
});
