import { defineEntity, p } from "@mikro-orm/core";
import { USER_ROLES } from "./user.ts";

/** What an audited action changed: `user.role`, `credits.allocate`, `price.update`, … */
export const AUDIT_ACTIONS = [
  "user.create",
  "user.role",
  "user.active",
  "user.passwordReset",
  "credits.allocate",
  "credits.set",
  "credits.remove",
  "credits.adjust",
  "price.update",
  "apikey.revoke",
  "invitation.create",
  "invitation.revoke",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_TARGET_TYPES = ["user", "model", "apikey", "invitation"] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/** The before/after snapshots: plain JSON objects of the fields the action changed. */
export type AuditSnapshot = Record<string, string | number | boolean | null>;

/**
 * One admin or supervisor action, written in the same transaction as the change it records.
 * Append-only: a database trigger refuses UPDATE, DELETE and TRUNCATE. `actorId` is a plain uuid
 * (no foreign key), so a record outlives whatever it names.
 */
export const AuditEventSchema = defineEntity({
  name: "AuditEvent",
  tableName: "audit_events",
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    actorId: p.uuid().index(),
    actorRole: p.enum(USER_ROLES),
    action: p.enum(AUDIT_ACTIONS).index(),
    targetType: p.enum(AUDIT_TARGET_TYPES),
    targetId: p.string().length(200).index(),
    before: p.json<AuditSnapshot>().nullable(),
    after: p.json<AuditSnapshot>().nullable(),
    requestId: p.string().length(64).nullable(),
    ipAddress: p.string().length(64).nullable(),
    createdAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date())
      .index(),
  },
});

export class AuditEvent extends AuditEventSchema.class {}
AuditEventSchema.setClass(AuditEvent);
