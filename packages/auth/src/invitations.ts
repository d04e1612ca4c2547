import { DomainError } from "@parley/core";
import {
  type AuditActor,
  type EntityManager,
  Invitation,
  recordAudit,
  User,
  type UserRole,
} from "@parley/db";
import { hashToken, newOneTimeToken } from "./one-time-token.ts";

export const DEFAULT_INVITATION_DAYS = 7;

export type InvitationStatus = "pending" | "used" | "expired" | "revoked";

interface PersonRef {
  id: string;
  displayName: string;
  email: string;
}

export interface InvitationView {
  id: string;
  email: string | null;
  role: UserRole;
  status: InvitationStatus;
  expiresAt: Date;
  createdAt: Date;
  createdBy: PersonRef | null;
  usedAt: Date | null;
  usedBy: PersonRef | null;
  revokedAt: Date | null;
}

const personRef = (user: User | null | undefined): PersonRef | null =>
  user ? { id: user.id, displayName: user.displayName, email: user.email } : null;

function statusOf(invitation: Invitation, now = new Date()): InvitationStatus {
  if (invitation.usedAt) return "used";
  if (invitation.revokedAt) return "revoked";
  return invitation.expiresAt <= now ? "expired" : "pending";
}

function toView(invitation: Invitation): InvitationView {
  return {
    id: invitation.id,
    email: invitation.email ?? null,
    role: invitation.role,
    status: statusOf(invitation),
    expiresAt: invitation.expiresAt,
    createdAt: invitation.createdAt,
    createdBy: personRef(invitation.createdBy),
    usedAt: invitation.usedAt ?? null,
    usedBy: personRef(invitation.usedBy),
    revokedAt: invitation.revokedAt ?? null,
  };
}

/**
 * Creates a single-use invitation; the token is returned once, for the link, and stored hashed.
 * Its `invitation.create` audit record is flushed with it in one transaction.
 */
export async function createInvitation(
  em: EntityManager,
  actor: AuditActor,
  input: { email?: string | undefined; role?: UserRole | undefined; expiryDays?: number | undefined },
): Promise<{ invitation: InvitationView; token: string }> {
  const { token, tokenHash } = newOneTimeToken();
  const days = input.expiryDays ?? DEFAULT_INVITATION_DAYS;
  const invitation = em.create(Invitation, {
    id: crypto.randomUUID(),
    tokenHash,
    email: input.email?.toLowerCase() ?? null,
    role: input.role ?? "user",
    expiresAt: new Date(Date.now() + days * 24 * 60 * 60 * 1000),
    createdBy: em.getReference(User, actor.id),
  });
  recordAudit(em, actor, {
    action: "invitation.create",
    targetType: "invitation",
    targetId: invitation.id,
    before: null,
    after: {
      email: invitation.email ?? null,
      role: invitation.role,
      expiresAt: invitation.expiresAt.toISOString(),
    },
  });
  await em.flush();
  await em.populate(invitation, ["createdBy"]);
  return { invitation: toView(invitation), token };
}

/** The newest invitations first (the last 200: older ones are history). */
export async function listInvitations(em: EntityManager): Promise<InvitationView[]> {
  const invitations = await em.find(
    Invitation,
    {},
    { orderBy: { createdAt: "desc", id: "asc" }, limit: 200, populate: ["createdBy", "usedBy"] },
  );
  return invitations.map(toView);
}

/**
 * A revoked invitation can no longer be used; a used one cannot be revoked (CONFLICT). Revoking
 * writes an `invitation.revoke` audit record in the same transaction (none when already revoked).
 */
export async function revokeInvitation(
  em: EntityManager,
  actor: AuditActor,
  id: string,
): Promise<InvitationView> {
  const invitation = await em.findOne(Invitation, { id }, { populate: ["createdBy", "usedBy"] });
  if (!invitation) throw new DomainError("NOT_FOUND", "Invitation not found.");
  if (invitation.usedAt) throw new DomainError("CONFLICT", "This invitation has already been used.");
  if (!invitation.revokedAt) {
    const before = { status: statusOf(invitation), revokedAt: null };
    invitation.revokedAt = new Date();
    recordAudit(em, actor, {
      action: "invitation.revoke",
      targetType: "invitation",
      targetId: invitation.id,
      before,
      after: { status: "revoked", revokedAt: invitation.revokedAt.toISOString() },
    });
  }
  await em.flush();
  return toView(invitation);
}

const INVALID_INVITATION = "This invitation link is invalid, expired or already used.";

/**
 * Uses up the invitation for `email`, atomically: of two registrations racing with one link, only
 * one gets it. Call inside the transaction that creates the account, so a failed registration
 * leaves the invitation unused.
 */
export async function claimInvitation(
  em: EntityManager,
  token: string,
  email: string,
): Promise<{ id: string; role: UserRole }> {
  const [claimed] = await em.execute<{ id: string; role: UserRole; email: string | null }[]>(
    `update invitations set used_at = now()
      where token_hash = ? and used_at is null and revoked_at is null and expires_at > now()
      returning id, role, email`,
    [hashToken(token)],
  );
  if (!claimed) throw new DomainError("BAD_REQUEST", INVALID_INVITATION, { field: "invitationToken" });
  if (claimed.email && claimed.email !== email.toLowerCase()) {
    throw new DomainError("BAD_REQUEST", "This invitation is for another email address.", { field: "email" });
  }
  return { id: claimed.id, role: claimed.role };
}

/** Records who used the invitation (after their account exists). */
export async function markInvitationUsedBy(em: EntityManager, id: string, userId: string): Promise<void> {
  await em.nativeUpdate(Invitation, { id }, { usedBy: userId });
}
