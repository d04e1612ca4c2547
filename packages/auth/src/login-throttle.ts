import { DomainError } from "@parley/core";
import { type EntityManager, LoginFailure } from "@parley/db";

export const MAX_FAILED_LOGINS = 10;
export const FAILED_LOGIN_WINDOW_MS = 15 * 60 * 1000;

const keysFor = (login: string, ipAddress: string | null) =>
  [`login:${login.toLowerCase()}`, ipAddress ? `ip:${ipAddress}` : null].filter(
    (k): k is string => k !== null,
  );

/**
 * Refuses a sign-in attempt once a login name or a client address has failed more than
 * MAX_FAILED_LOGINS times within the window. The count lives in PostgreSQL so every server
 * process sees the same figure.
 */
export async function assertLoginAllowed(
  em: EntityManager,
  login: string,
  ipAddress: string | null,
): Promise<void> {
  const since = new Date(Date.now() - FAILED_LOGIN_WINDOW_MS);
  for (const key of keysFor(login, ipAddress)) {
    const failures = await em.find(
      LoginFailure,
      { key, createdAt: { $gt: since } },
      { orderBy: { createdAt: "desc" }, limit: MAX_FAILED_LOGINS, fields: ["createdAt"] },
    );
    if (failures.length >= MAX_FAILED_LOGINS) {
      // The attempt is allowed again once the oldest of the last MAX failures leaves the window.
      const oldest = failures[failures.length - 1]?.createdAt ?? new Date();
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((oldest.getTime() + FAILED_LOGIN_WINDOW_MS - Date.now()) / 1000),
      );
      throw new DomainError(
        "TOO_MANY_REQUESTS",
        `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
        { retryAfterSeconds },
      );
    }
  }
}

export async function recordLoginFailure(
  em: EntityManager,
  login: string,
  ipAddress: string | null,
): Promise<void> {
  for (const key of keysFor(login, ipAddress)) em.create(LoginFailure, { key });
  await em.flush();
  // Old rows are useless; trimming them here keeps the table small without a separate job.
  await em.nativeDelete(LoginFailure, { createdAt: { $lt: new Date(Date.now() - FAILED_LOGIN_WINDOW_MS) } });
}

/** A successful sign-in forgives the login name's failures (not the address's). */
export async function clearLoginFailures(em: EntityManager, login: string): Promise<void> {
  await em.nativeDelete(LoginFailure, { key: `login:${login.toLowerCase()}` });
}
