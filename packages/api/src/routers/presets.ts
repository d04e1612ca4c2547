import { createPreset, deletePreset, listPresets, type PresetActor, updatePreset } from "@parley/agent";
import { MAX_PRESET_NAME_LENGTH } from "@parley/validators";
import { z } from "zod";
import type { Context } from "../context.ts";
import { modelIdSchema, safeString } from "../schemas.ts";
import { protectedProcedure, router } from "../trpc.ts";
import { chatSettingsShape } from "./sessions.ts";

const presetIdSchema = z.uuid();
const presetNameSchema = safeString().trim().min(1, "Name the preset.").max(MAX_PRESET_NAME_LENGTH);
const presetFields = {
  ...chatSettingsShape,
  modelId: modelIdSchema.nullish(),
  /** Only admins publish (FORBIDDEN for others). */
  published: z.boolean().optional(),
};

function actorOf(ctx: Context & { user: NonNullable<Context["user"]> }): PresetActor {
  return {
    userId: ctx.user.id,
    isAdmin: ctx.user.role === "admin",
    maxAnswerTokens: ctx.services.chat.maxAnswerTokens,
  };
}

/** A preset's model must be one on offer (BAD_REQUEST listing them otherwise). */
function checkModel(ctx: Context, modelId: string | null | undefined): void {
  if (modelId) ctx.services.chat.modelFor(modelId);
}

/** Chat settings saved to reuse: the caller's own, and those an admin published to everyone. */
export const presetsRouter = router({
  list: protectedProcedure.query(({ ctx }) => listPresets(ctx.em, ctx.user.id)),

  create: protectedProcedure
    .input(z.object({ name: presetNameSchema, ...presetFields }))
    .mutation(({ ctx, input }) => {
      checkModel(ctx, input.modelId);
      return createPreset(ctx.em, actorOf(ctx), input);
    }),

  /** The caller's own preset, or (admins) a published one; NOT_FOUND otherwise. */
  update: protectedProcedure
    .input(z.object({ presetId: presetIdSchema, name: presetNameSchema.optional(), ...presetFields }))
    .mutation(({ ctx, input }) => {
      checkModel(ctx, input.modelId);
      const { presetId, ...changes } = input;
      return updatePreset(ctx.em, actorOf(ctx), presetId, changes);
    }),

  delete: protectedProcedure
    .input(z.object({ presetId: presetIdSchema }))
    .mutation(({ ctx, input }) => deletePreset(ctx.em, actorOf(ctx), input.presetId)),
});
