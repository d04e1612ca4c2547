import { DomainError } from "@parley/core";
import { type EntityManager, User, type UserRole } from "@parley/db";

/**
 * Who may move credits on whose account: admins and supervisors, never on their own account
 * (nobody pays themselves), and a supervisor only on plain users' accounts (never on an admin's or
 * another supervisor's). Throws FORBIDDEN otherwise; NOT_FOUND when the account does not exist.
 */
export async function assertMayMoveCredits(
  em: EntityManager,
  actorId: string,
  userId: string,
): Promise<void> {
  const actor = await em.findOne(User, { id: actorId });
  const target = await em.findOne(User, { id: userId });
  if (!actor?.active || !mayManageCredits(actor.role)) {
    throw new DomainError("FORBIDDEN", "Only supervisors and admins move credits.");
  }
  if (!target) throw new DomainError("NOT_FOUND", "User not found.");
  if (actorId === userId) {
    throw new DomainError("FORBIDDEN", "You cannot move credits on your own account; another admin has to.");
  }
  if (actor.role === "supervisor" && target.role !== "user") {
    throw new DomainError("FORBIDDEN", "Supervisors move credits on user accounts only.");
  }
}

export const mayManageCredits = (role: UserRole): boolean => role === "admin" || role === "supervisor";
