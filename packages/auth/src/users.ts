import { DomainError } from "@parley/core";
import { type EntityManager, UniqueConstraintViolationException, User, type UserRole } from "@parley/db";
import {
  accountThrottleKey,
  claimLoginAttempt,
  forgiveAttempt,
  keepFailure,
  loginThrottleKey,
} from "./login-throttle.ts";
import { hashPassword, passwordWeakness, verifyAgainstDummy, verifyPassword } from "./password.ts";
import { type PublicUser, toPublicUser } from "./public-user.ts";

export interface NewUser {
  email: string;
  username: string;
  password: string;
  displayName?: string | undefined;
  role?: UserRole;
}

const INVALID_CREDENTIALS = "Invalid login or password.";

export async function registerUser(em: EntityManager, input: NewUser): Promise<PublicUser> {
  const email = input.email.toLowerCase();
  const username = input.username.toLowerCase();
  const weakness = passwordWeakness(input.password, { email, username });
  if (weakness) throw new DomainError("BAD_REQUEST", weakness, { field: "password" });
  await assertUnique(em, { email, username });

  const user = em.create(User, {
    email,
    username,
    displayName: input.displayName?.trim() || input.username,
    passwordHash: await hashPassword(input.password),
    role: input.role ?? "user",
  });
  await flushUnique(em);
  return toPublicUser(user);
}

/**
 * Checks a login (email or username) and password. Unknown logins, wrong passwords and deactivated
 * accounts (right password or not) all fail the same way, after the same hashing work. The attempt
 * is counted by the throttle before the password is looked at.
 */
export async function authenticate(
  em: EntityManager,
  input: { login: string; password: string; ipAddress: string | null },
): Promise<PublicUser> {
  const login = input.login.trim().toLowerCase();
  const user = await em.findOne(User, login.includes("@") ? { email: login } : { username: login }, {
    populate: ["passwordHash"],
  });
  const attempt = await claimLoginAttempt(em, {
    account: user ? accountThrottleKey(user.id) : loginThrottleKey(login),
    ipAddress: input.ipAddress,
  });
  const ok = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyAgainstDummy(input.password);
  if (!user || !ok || !user.active) {
    await keepFailure(em);
    throw new DomainError("UNAUTHORIZED", INVALID_CREDENTIALS);
  }

  await forgiveAttempt(em, attempt);
  // The sign-in itself is recorded when its session opens (SessionManager.create).
  return toPublicUser(user);
}

export async function getUser(em: EntityManager, userId: string): Promise<User> {
  const user = await em.findOne(User, { id: userId });
  if (!user) throw new DomainError("NOT_FOUND", "User not found.");
  return user;
}

/** Finds a user by id or by email (case-insensitive), or NOT_FOUND. */
export async function findUser(
  em: EntityManager,
  by: { userId?: string | undefined; email?: string | undefined },
): Promise<User> {
  const where = by.userId ? { id: by.userId } : by.email ? { email: by.email.toLowerCase() } : null;
  const user = where ? await em.findOne(User, where) : null;
  if (!user) throw new DomainError("NOT_FOUND", "User not found.");
  return user;
}

export async function updateProfile(
  em: EntityManager,
  userId: string,
  changes: { displayName?: string | undefined; username?: string | undefined; email?: string | undefined },
): Promise<PublicUser> {
  const user = await getUser(em, userId);
  const email = changes.email?.toLowerCase();
  const username = changes.username?.toLowerCase();
  await assertUnique(em, {
    email: email !== user.email ? email : undefined,
    username: username !== user.username ? username : undefined,
  });
  if (email) user.email = email;
  if (username) user.username = username;
  if (changes.displayName !== undefined) user.displayName = changes.displayName.trim() || user.username;
  await flushUnique(em);
  return toPublicUser(user);
}

/** Verifies the current password and stores the new one. Ending other sessions is the caller's job. */
export async function changePassword(
  em: EntityManager,
  userId: string,
  input: { currentPassword: string; newPassword: string; ipAddress: string | null },
): Promise<void> {
  const user = await em.findOneOrFail(User, { id: userId }, { populate: ["passwordHash"] });
  // A stolen session must not become a password oracle: the same throttle as sign-in.
  const attempt = await claimLoginAttempt(em, {
    account: accountThrottleKey(user.id),
    ipAddress: input.ipAddress,
  });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await keepFailure(em);
    throw new DomainError("UNAUTHORIZED", "Current password is incorrect.", { field: "currentPassword" });
  }
  await forgiveAttempt(em, attempt);
  await setPassword(em, user, input.newPassword, "newPassword");
}

/** Stores a new password after the strength rules; the caller decides which sessions end. */
export async function setPassword(em: EntityManager, user: User, password: string, field = "password") {
  const weakness = passwordWeakness(password, { email: user.email, username: user.username });
  if (weakness) throw new DomainError("BAD_REQUEST", weakness, { field });
  user.passwordHash = await hashPassword(password);
  await em.flush();
}

async function assertUnique(
  em: EntityManager,
  values: { email?: string | undefined; username?: string | undefined },
) {
  for (const field of ["email", "username"] as const) {
    const value = values[field];
    if (value && (await em.count(User, { [field]: value })) > 0) {
      throw new DomainError("CONFLICT", `That ${field} is already taken.`, { field });
    }
  }
}

/** Flushes, turning a unique-constraint race (two registrations at once) into the same CONFLICT. */
async function flushUnique(em: EntityManager): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      const field = /username/.test(error.message) ? "username" : "email";
      throw new DomainError("CONFLICT", `That ${field} is already taken.`, { field });
    }
    throw error;
  }
}
