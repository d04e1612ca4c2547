import { createHash } from "node:crypto";
import { DomainError } from "@parley/core";
import { type EntityManager, LoginFailure } from "@parley/db";
import { MAX_EMAIL_LENGTH } from "@parley/validators";

export const MAX_FAILED_LOGINS = 10;
export const FAILED_LOGIN_WINDOW_MS = 15 * 60 * 1000;

/**
 * What one password check is throttled on. `account` names the account (`account:<id>`), or, for a
 * login that matches no account, the login name (`login:<name>`), so unknown and known names
 * behave alike. The email and the username of one account share its key.
 */
export interface ThrottleSubject {
  account: string;
  ipAddress: string | null;
}

/** A counted attempt: its rows stay as failures unless the password turns out right. */
export interface LoginAttempt {
  subject: ThrottleSubject;
  ids: number[];
}

export const accountThrottleKey = (userId: string) => `account:${userId}`;
/**
 * Lower-cased, then cut to the longest login an account can have (an email): lower-casing can
 * lengthen text ("İ" becomes two UTF-16 units), and a key longer than its column (300) was a
 * database error. No account's login is longer, so no two of them share a cut key.
 */
export const loginThrottleKey = (login: string) => `login:${login.toLowerCase().slice(0, MAX_EMAIL_LENGTH)}`;

/** The keys an attempt counts against: the account, the address, and the two together. */
function keysOf(subject: ThrottleSubject) {
  const { account, ipAddress } = subject;
  return {
    account,
    address: ipAddress ? `ip:${ipAddress}` : null,
    // Hashed: an account key plus an address can be longer than the column.
    pair: ipAddress ? `pair:${createHash("sha256").update(`${account}\n${ipAddress}`).digest("hex")}` : null,
  };
}

/**
 * Counts a password check BEFORE the password is verified, atomically: the keys' advisory locks
 * serialise concurrent attempts on the same account or address, so of 100 parallel guesses at most
 * MAX_FAILED_LOGINS are let through to the (slow) password hash. The counted rows are failures
 * until `forgiveAttempt` removes them after a right password.
 *
 * Refused (TOO_MANY_REQUESTS) when, within the window,
 * - the address has failed MAX times (whatever the accounts), or
 * - the account has failed MAX times from this address, or
 * - the account has failed MAX times in all and this address is among those that failed.
 * An address that never failed on the account still gets through, so a stranger hammering an
 * account cannot lock its owner out; each stranger address then gets one guess per window.
 */
export async function claimLoginAttempt(em: EntityManager, subject: ThrottleSubject): Promise<LoginAttempt> {
  const keys = keysOf(subject);
  const present = [keys.account, keys.address, keys.pair].filter((k): k is string => k !== null);
  const since = new Date(Date.now() - FAILED_LOGIN_WINDOW_MS);
  const ids = await em.transactional(async (tx) => {
    // Sorted, so two attempts sharing keys always lock them in the same order (no deadlock).
    for (const key of [...present].sort()) {
      await tx.execute("select pg_advisory_xact_lock(hashtextextended(?, 0))", [key]);
    }
    const counts = new Map<string, number>();
    for (const key of present) {
      counts.set(key, await tx.count(LoginFailure, { key, createdAt: { $gt: since } }));
    }
    const count = (key: string | null) => (key ? (counts.get(key) ?? 0) : 0);
    const tripped =
      count(keys.address) >= MAX_FAILED_LOGINS
        ? keys.address
        : count(keys.pair) >= MAX_FAILED_LOGINS
          ? keys.pair
          : count(keys.account) >= MAX_FAILED_LOGINS && (count(keys.pair) > 0 || !keys.pair)
            ? keys.account
            : null;
    if (tripped) throw await tooManyAttempts(tx, tripped, since);
    const rows = present.map((key) => tx.create(LoginFailure, { key }));
    await tx.flush();
    return rows.map((row) => row.id);
  });
  return { subject, ids };
}

/**
 * The password was right: the attempt was no failure, and the account's failures are forgiven
 * (those from this address and the account-wide count; other addresses' stay counted).
 */
export async function forgiveAttempt(em: EntityManager, attempt: LoginAttempt): Promise<void> {
  const keys = keysOf(attempt.subject);
  await em.nativeDelete(LoginFailure, {
    $or: [
      { id: { $in: attempt.ids } },
      { key: { $in: [keys.account, keys.pair].filter((k): k is string => k !== null) } },
    ],
  });
}

/** The password was wrong: the counted rows stay. Old rows are trimmed here (no separate job). */
export async function keepFailure(em: EntityManager): Promise<void> {
  await em.nativeDelete(LoginFailure, { createdAt: { $lt: new Date(Date.now() - FAILED_LOGIN_WINDOW_MS) } });
}

/** A password set another way (reset link, admin) forgives the account-wide count. */
export async function clearAccountFailures(em: EntityManager, userId: string): Promise<void> {
  await em.nativeDelete(LoginFailure, { key: accountThrottleKey(userId) });
}

async function tooManyAttempts(em: EntityManager, key: string, since: Date): Promise<DomainError> {
  // The attempt is allowed again once the oldest of the last MAX failures leaves the window.
  const recent = await em.find(
    LoginFailure,
    { key, createdAt: { $gt: since } },
    { orderBy: { createdAt: "desc" }, limit: MAX_FAILED_LOGINS, fields: ["createdAt"] },
  );
  const oldest = recent[recent.length - 1]?.createdAt ?? new Date();
  const retryAfterSeconds = Math.max(
    1,
    Math.ceil((oldest.getTime() + FAILED_LOGIN_WINDOW_MS - Date.now()) / 1000),
  );
  return new DomainError(
    "TOO_MANY_REQUESTS",
    `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
    { retryAfterSeconds },
  );
}
