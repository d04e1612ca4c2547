import { type Page, toPage } from "@parley/core";
import {
  type AuditAction,
  type AuditSnapshot,
  type AuditTargetType,
  type EntityManager,
  toDate,
  type UserRole,
} from "@parley/db";

export interface AuditPerson {
  id: string;
  displayName: string;
  email: string;
}

export interface AuditEventView {
  id: string;
  action: AuditAction;
  /** Who acted, with the role they held at the time (their name and email as they are now). */
  actor: { id: string; role: UserRole; displayName: string | null; email: string | null };
  targetType: AuditTargetType;
  targetId: string;
  /** The person concerned: the user for user targets, the key's owner for API keys; else null. */
  targetUser: AuditPerson | null;
  before: AuditSnapshot | null;
  after: AuditSnapshot | null;
  requestId: string | null;
  ipAddress: string | null;
  createdAt: Date;
}

export interface AuditQuery {
  page: number;
  size: number;
  actorId?: string | undefined;
  targetId?: string | undefined;
  action?: AuditAction | undefined;
}

interface AuditRow {
  id: string;
  action: AuditAction;
  actor_id: string;
  actor_role: UserRole;
  actor_name: string | null;
  actor_email: string | null;
  target_type: AuditTargetType;
  target_id: string;
  target_user_id: string | null;
  target_name: string | null;
  target_email: string | null;
  before: AuditSnapshot | null;
  after: AuditSnapshot | null;
  request_id: string | null;
  ip_address: string | null;
  created_at: Date | string;
  total: string;
}

function toView(row: AuditRow): AuditEventView {
  return {
    id: row.id,
    action: row.action,
    actor: { id: row.actor_id, role: row.actor_role, displayName: row.actor_name, email: row.actor_email },
    targetType: row.target_type,
    targetId: row.target_id,
    targetUser:
      row.target_user_id && row.target_name !== null && row.target_email !== null
        ? { id: row.target_user_id, displayName: row.target_name, email: row.target_email }
        : null,
    before: row.before,
    after: row.after,
    requestId: row.request_id,
    ipAddress: row.ip_address,
    createdAt: toDate(row.created_at),
  };
}

/** The audit trail, newest first, with the people it names; filtered by actor, target or action. */
export async function listAuditEvents(em: EntityManager, query: AuditQuery): Promise<Page<AuditEventView>> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (query.actorId) {
    conditions.push("a.actor_id = ?");
    params.push(query.actorId);
  }
  if (query.targetId) {
    conditions.push("a.target_id = ?");
    params.push(query.targetId);
  }
  if (query.action) {
    conditions.push("a.action = ?");
    params.push(query.action);
  }
  const where = conditions.length ? `where ${conditions.join(" and ")}` : "";
  const rows = await em.execute<AuditRow[]>(
    `select a.id, a.action, a.actor_id, a.actor_role, au.display_name as actor_name, au.email as actor_email,
            a.target_type, a.target_id, tu.id as target_user_id, tu.display_name as target_name,
            tu.email as target_email, a.before, a.after, a.request_id, a.ip_address, a.created_at,
            count(*) over () as total
       from audit_events a
       left join users au on au.id = a.actor_id
       left join api_keys k on a.target_type = 'apikey' and k.id::text = a.target_id
       left join users tu on tu.id = case a.target_type
                                       when 'user' then a.target_id::uuid
                                       when 'apikey' then k.user_id
                                     end
       ${where}
      order by a.created_at desc, a.id desc
      limit ? offset ?`,
    [...params, query.size, (query.page - 1) * query.size],
  );
  // Past the last page there are no rows to carry the total: count separately then.
  const total =
    rows[0] !== undefined
      ? Number(rows[0].total)
      : Number(
          (
            await em.execute<{ count: string }[]>(
              `select count(*) as count from audit_events a ${where}`,
              params,
            )
          )[0]?.count ?? 0,
        );
  return toPage(rows.map(toView), total, query);
}
