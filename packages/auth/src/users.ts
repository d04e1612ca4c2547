import { DomainError } from "@parley/core";
import { type EntityManager, UniqueConstraintViolationException, User, type UserRole } from "@parley/db";
import { assertLoginAllowed, clearLoginFailures, recordLoginFailure } from "./login-throttle.ts";
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
 * Checks a login (email or username) and password. Unknown logins and wrong passwords fail with the
 * same message after the same amount of hashing work.
 */
export async function authenticate(
  em: EntityManager,
  input: { login: string; password: string; ipAddress: string | null },
): Promise<PublicUser> {
  const login = input.login.trim().toLowerCase();
  await assertLoginAllowed(em, login, input.ipAddress);

  const user = await em.findOne(User, login.includes("@") ? { email: login } : { username: login }, {
    populate: ["passwordHash"],
  });
  const ok = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyAgainstDummy(input.password);
  if (!user || !ok) {
    await recordLoginFailure(em, login, input.ipAddress);
    throw new DomainError("UNAUTHORIZED", INVALID_CREDENTIALS);
  }
  if (!user.active) throw new DomainError("FORBIDDEN", "This account has been deactivated.");

  await clearLoginFailures(em, login);
  user.lastLoginAt = new Date();
  await em.flush();
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
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await em.findOneOrFail(User, { id: userId }, { populate: ["passwordHash"] });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new DomainError("UNAUTHORIZED", "Current password is incorrect.", { field: "currentPassword" });
  }
  const weakness = passwordWeakness(input.newPassword, { email: user.email, username: user.username });
  if (weakness) throw new DomainError("BAD_REQUEST", weakness, { field: "newPassword" });
  user.passwordHash = await hashPassword(input.newPassword);
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
