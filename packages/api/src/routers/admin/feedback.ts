import { listFeedback } from "@parley/agent";
import { FEEDBACK_RATINGS } from "@parley/db";
import { z } from "zod";
import { modelIdSchema, pageSchema } from "../../schemas.ts";
import { adminProcedure, router } from "../../trpc.ts";

/**
 * Users' ratings of answers, with the rated answer and the question before it. Admins only: the
 * excerpts are chat text, which supervisors (who manage credits) have no need to read.
 */
export const adminFeedbackRouter = router({
  list: adminProcedure
    .input(
      z
        .object({
          ...pageSchema,
          rating: z.enum(FEEDBACK_RATINGS).optional(),
          modelId: modelIdSchema.optional(),
          userId: z.uuid().optional(),
          withComment: z.boolean().optional(),
        })
        .default({ page: 1, size: 20 }),
    )
    .query(({ ctx, input }) => listFeedback(ctx.em, input)),
});
