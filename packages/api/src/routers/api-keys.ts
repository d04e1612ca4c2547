import { API_KEY_SCOPES, createApiKey, listApiKeys, revokeApiKey } from "@parley/auth";
import { MAX_API_KEY_NAME_LENGTH } from "@parley/validators";
import { z } from "zod";
import { auditActor } from "../audit-actor.ts";
import { exactDateSchema, safeString } from "../schemas.ts";
import { router, sessionProcedure } from "../trpc.ts";

/** Personal API keys (`auth.apiKeys.*`): managed from a signed-in session, never with a key. */
export const apiKeysRouter = router({
  /** Creates a key; `secret` is in this response only. */
  create: sessionProcedure
    .input(
      z.object({
        name: safeString().trim().min(1, "Give the key a name.").max(MAX_API_KEY_NAME_LENGTH),
        scopes: z
          .array(z.enum(API_KEY_SCOPES))
          .min(1, "Choose at least one scope.")
          .max(API_KEY_SCOPES.length),
        expiresAt: exactDateSchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) => createApiKey(ctx.em, { userId: ctx.user.id, ...input })),

  list: sessionProcedure.query(({ ctx }) => listApiKeys(ctx.em, ctx.user.id)),

  revoke: sessionProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    await revokeApiKey(ctx.em, auditActor(ctx), input.id);
    await ctx.services.sessions.invalidateUser(ctx.user.id);
    return { ok: true as const };
  }),
});
