import type { PublicUser } from "@parley/auth";
import type { AuditActor } from "@parley/db";
import type { RequestInfo } from "./context.ts";

/** The signed-in caller as the audit trail names them: who, in which role, through which request. */
export const auditActor = (ctx: { user: PublicUser; request: RequestInfo }): AuditActor => ({
  id: ctx.user.id,
  role: ctx.user.role,
  requestId: ctx.request.requestId,
  ipAddress: ctx.request.ipAddress,
});
