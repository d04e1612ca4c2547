import { feedbackForSession, rateMessage } from "@parley/agent";
import { FEEDBACK_RATINGS } from "@parley/db";
import { MAX_FEEDBACK_COMMENT_LENGTH } from "@parley/validators";
import { z } from "zod";
import { safeString } from "../schemas.ts";
import { protectedProcedure, router } from "../trpc.ts";

/** Thumbs up or down on the caller's own answers; admins read them with admin.feedback.list. */
export const feedbackRouter = router({
  rate: protectedProcedure
    .input(
      z.object({
        messageId: z.uuid(),
        rating: z.enum(FEEDBACK_RATINGS),
        comment: safeString()
          .trim()
          .max(
            MAX_FEEDBACK_COMMENT_LENGTH,
            `A comment must be at most ${MAX_FEEDBACK_COMMENT_LENGTH} characters.`,
          )
          .optional(),
      }),
    )
    .mutation(({ ctx, input }) => rateMessage(ctx.em, { userId: ctx.user.id, ...input })),

  /** The caller's ratings in one of their chats, for the chat screen to show. */
  forSession: protectedProcedure
    .input(z.object({ sessionId: z.uuid() }))
    .query(({ ctx, input }) => feedbackForSession(ctx.em, ctx.user.id, input.sessionId)),
});
