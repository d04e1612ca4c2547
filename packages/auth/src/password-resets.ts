import { DomainError } from "@parley/core";
import { type AuditActor, type EntityManager, PasswordReset, recordAudit, User } from "@parley/db";
import { clearAccountFailures } from "./login-throttle.ts";
import { hashToken, newOneTimeToken } from "./one-time-token.ts";
import { setPassword } from "./users.ts";

/** An admin hands the link over by hand, which can take a while; a mailed link is for now. */
export const ADMIN_RESET_TTL_MS = 24 * 60 * 60 * 1000;
export const MAILED_RESET_TTL_MS = 60 * 60 * 1000;
/** Mailed links per account per window, so nobody can flood a mailbox through the form. */
const MAX_MAILED_RESETS = 3;
const MAILED_RESET_WINDOW_MS = 15 * 60 * 1000;

/**
 * Issues a one-time reset link's token for the user (by an admin, or null when mailed). Earlier
 * unused links of the account stop working: only the newest one counts. An admin's link gets a
 * `user.passwordReset` audit record, flushed with the new link in one transaction.
 */
export async function issuePasswordReset(
  em: EntityManager,
  userId: string,
  options: { actor: AuditActor | null; ttlMs: number },
): Promise<string> {
  const user = await em.findOne(User, { id: userId });
  if (!user) throw new DomainError("NOT_FOUND", "User not found.");
  await em.nativeUpdate(PasswordReset, { user: userId, usedAt: null }, { usedAt: new Date() });
  const { token, tokenHash } = newOneTimeToken();
  const expiresAt = new Date(Date.now() + options.ttlMs);
  em.create(PasswordReset, {
    user,
    tokenHash,
    expiresAt,
    createdBy: options.actor ? em.getReference(User, options.actor.id) : null,
  });
  if (options.actor) {
    recordAudit(em, options.actor, {
      action: "user.passwordReset",
      targetType: "user",
      targetId: user.id,
      before: null,
      after: { expiresAt: expiresAt.toISOString() },
    });
  }
  await em.flush();
  return token;
}

const INVALID_RESET = "This password-reset link is invalid, expired or already used.";

/**
 * Sets a new password through a reset link, once: the link is used up atomically (two tabs racing
 * with one link: one wins). A too-weak password leaves the link usable. Returns the account's id,
 * so the caller can end its sessions.
 */
export async function resetPassword(
  em: EntityManager,
  input: { token: string; newPassword: string },
): Promise<{ userId: string }> {
  const tokenHash = hashToken(input.token);
  return em.transactional(async (tx) => {
    const reset = await tx.findOne(
      PasswordReset,
      { tokenHash, usedAt: null, expiresAt: { $gt: new Date() } },
      { populate: ["user"] },
    );
    if (!reset) throw new DomainError("BAD_REQUEST", INVALID_RESET, { field: "token" });
    const claimed = await tx.nativeUpdate(
      PasswordReset,
      { id: reset.id, usedAt: null },
      { usedAt: new Date() },
    );
    if (claimed !== 1) throw new DomainError("BAD_REQUEST", INVALID_RESET, { field: "token" });
    await setPassword(tx, reset.user, input.newPassword, "newPassword");
    await clearAccountFailures(tx, reset.user.id);
    return { userId: reset.user.id };
  });
}

/**
 * A user asks for a reset link by mail. Nothing tells the caller whether the address has an
 * account: unknown or deactivated addresses, and addresses that asked too often, simply get no
 * mail. `send` delivers the link's token.
 */
export async function requestPasswordReset(
  em: EntityManager,
  email: string,
  send: (to: { email: string; displayName: string }, token: string) => Promise<void>,
): Promise<void> {
  const user = await em.findOne(User, { email: email.toLowerCase(), active: true });
  if (!user) return;
  const token = await em.transactional(async (tx) => {
    // One request per account at a time, so parallel requests cannot all pass the count.
    await tx.execute("select pg_advisory_xact_lock(hashtextextended(?, 0))", [`password-reset:${user.id}`]);
    const recent = await tx.count(PasswordReset, {
      user: user.id,
      createdBy: null,
      createdAt: { $gt: new Date(Date.now() - MAILED_RESET_WINDOW_MS) },
    });
    if (recent >= MAX_MAILED_RESETS) return null;
    return issuePasswordReset(tx, user.id, { actor: null, ttlMs: MAILED_RESET_TTL_MS });
  });
  if (token) await send({ email: user.email, displayName: user.displayName }, token);
}
