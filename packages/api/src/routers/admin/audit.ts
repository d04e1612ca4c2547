import { listAuditEvents } from "@parley/auth";
import { AUDIT_ACTIONS } from "@parley/db";
import { z } from "zod";
import { pageSchema, safeString } from "../../schemas.ts";
import { adminProcedure, router } from "../../trpc.ts";

/**
 * The audit trail of admin and supervisor actions. Admins only: it names every person's role,
 * credit and access changes, which supervisors (who see one user at a time) need not browse.
 */
export const adminAuditRouter = router({
  list: adminProcedure
    .input(
      z
        .object({
          ...pageSchema,
          actorId: z.uuid().optional(),
          // A user id, an API key or invitation id, or a model id.
          targetId: safeString().trim().min(1).max(200).optional(),
          action: z.enum(AUDIT_ACTIONS).optional(),
        })
        .default({ page: 1, size: 20 }),
    )
    .query(({ ctx, input }) => listAuditEvents(ctx.em, input)),
});
