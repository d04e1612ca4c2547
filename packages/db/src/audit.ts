import type { EntityManager } from "@mikro-orm/postgresql";
import {
  type AuditAction,
  AuditEvent,
  type AuditSnapshot,
  type AuditTargetType,
} from "./entities/audit-event.ts";
import type { UserRole } from "./entities/user.ts";

/** Who acts, and through which request: what every audit record names. */
export interface AuditActor {
  id: string;
  role: UserRole;
  requestId: string | null;
  ipAddress: string | null;
}

export interface AuditChange {
  action: AuditAction;
  targetType: AuditTargetType;
  targetId: string;
  before: AuditSnapshot | null;
  after: AuditSnapshot | null;
}

/**
 * Queues an audit record on `em`: it is inserted by the same flush (one transaction) as the change
 * it records, so a change that fails or rolls back leaves no record.
 */
export function recordAudit(em: EntityManager, actor: AuditActor, change: AuditChange): void {
  em.create(AuditEvent, {
    actorId: actor.id,
    actorRole: actor.role,
    ...change,
    requestId: actor.requestId,
    ipAddress: actor.ipAddress,
  });
}
