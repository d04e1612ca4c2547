import { randomBytes } from "node:crypto";
import { containsPattern, DomainError, type Page, toPage } from "@parley/core";
import type { AuditActor, EntityManager, FilterQuery, UserRole } from "@parley/db";
import { AuthSession, recordAudit, User } from "@parley/db";
import { type PublicUser, toPublicUser } from "./public-user.ts";
import { getUser, registerUser, setPassword } from "./users.ts";

export const USER_SORT_FIELDS = ["createdAt", "email", "username", "displayName", "lastLoginAt"] as const;
export type UserSortField = (typeof USER_SORT_FIELDS)[number];

export interface UserListQuery {
  page: number;
  size: number;
  search?: string | undefined;
  role?: UserRole | undefined;
  active?: boolean | undefined;
  sort?: UserSortField | undefined;
  order?: "asc" | "desc" | undefined;
}

export async function listUsers(em: EntityManager, query: UserListQuery): Promise<Page<PublicUser>> {
  const where: FilterQuery<User> = {};
  if (query.role) where.role = query.role;
  if (query.active !== undefined) where.active = query.active;
  if (query.search) {
    const pattern = containsPattern(query.search);
    where.$or = [
      { email: { $ilike: pattern } },
      { username: { $ilike: pattern } },
      { displayName: { $ilike: pattern } },
    ];
  }
  const [users, total] = await em.findAndCount(User, where, {
    orderBy: { [query.sort ?? "createdAt"]: query.order ?? "desc", id: "asc" },
    limit: query.size,
    offset: (query.page - 1) * query.size,
  });
  return toPage(users.map(toPublicUser), total, query);
}

/**
 * Changes a user's role or active flag. Returns whether the user was deactivated, so the caller
 * can end their sessions. An admin cannot demote or deactivate themselves (that would lock the
 * last admin out); another admin has to. Each field that really changes gets an audit record
 * (`user.role`, `user.active`), flushed with the change in one transaction.
 */
export async function updateUserAccess(
  em: EntityManager,
  actor: AuditActor,
  input: { userId: string; role?: UserRole | undefined; active?: boolean | undefined },
): Promise<{ user: PublicUser; deactivated: boolean }> {
  const user = await getUser(em, input.userId);
  if (user.id === actor.id && ((input.role && input.role !== "admin") || input.active === false)) {
    throw new DomainError("FORBIDDEN", "You cannot remove your own admin role or deactivate yourself.");
  }
  const deactivated = user.active && input.active === false;
  const target = { targetType: "user", targetId: user.id } as const;
  if (input.role && input.role !== user.role) {
    recordAudit(em, actor, {
      action: "user.role",
      ...target,
      before: { role: user.role },
      after: { role: input.role },
    });
    user.role = input.role;
  }
  if (input.active !== undefined && input.active !== user.active) {
    recordAudit(em, actor, {
      action: "user.active",
      ...target,
      before: { active: user.active },
      after: { active: input.active },
    });
    user.active = input.active;
  }
  await em.flush();
  return { user: toPublicUser(user), deactivated };
}

/**
 * Creates an admin account. An existing account with that email is never promoted silently: only
 * with `promote` (`pnpm admin:create --promote`) does it become an active admin, and then it gets
 * the given password and loses its sessions, so whoever held the account before no longer does.
 * Used by `pnpm admin:create` and by ADMIN_EMAIL/ADMIN_PASSWORD at start (which never promotes).
 */
export async function createAdmin(
  em: EntityManager,
  input: {
    email: string;
    password: string;
    username?: string | undefined;
    displayName?: string | undefined;
    promote?: boolean | undefined;
  },
): Promise<{ user: PublicUser; created: boolean }> {
  const existing = await em.findOne(User, { email: input.email.toLowerCase() });
  if (existing) {
    if (!input.promote) {
      throw new DomainError(
        "CONFLICT",
        `An account with the email ${existing.email} already exists. To make it an admin (and set its password), pass --promote.`,
        { field: "email" },
      );
    }
    await setPassword(em, existing, input.password);
    existing.role = "admin";
    existing.active = true;
    await em.flush();
    await em.nativeDelete(AuthSession, { user: existing.id });
    return { user: toPublicUser(existing), created: false };
  }
  const username =
    input.username ??
    input.email
      .split("@")[0]
      ?.replace(/[^a-zA-Z0-9_.-]/g, "")
      .slice(0, 32) ??
    "admin";
  const user = await registerUser(em, {
    email: input.email,
    username: username.length >= 3 ? username : "admin",
    password: input.password,
    displayName: input.displayName ?? "Administrator",
    role: "admin",
  });
  return { user, created: true };
}

export async function adminExists(em: EntityManager): Promise<boolean> {
  return (await em.count(User, { role: "admin" })) > 0;
}

/**
 * An admin creates an account directly (whatever the registration mode). Without a password the
 * account gets an unguessable one nobody knows: the admin then hands over a reset link. The
 * account and its `user.create` audit record are written in one transaction.
 */
export async function createUserByAdmin(
  em: EntityManager,
  actor: AuditActor,
  input: {
    email: string;
    username: string;
    displayName?: string | undefined;
    role?: UserRole | undefined;
    password?: string | undefined;
  },
): Promise<PublicUser> {
  return em.transactional(async (tx) => {
    const user = await registerUser(tx, {
      ...input,
      password: input.password ?? randomBytes(24).toString("base64url"),
      ...(input.role ? { role: input.role } : {}),
    });
    recordAudit(tx, actor, {
      action: "user.create",
      targetType: "user",
      targetId: user.id,
      before: null,
      after: {
        email: user.email,
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        active: user.active,
        passwordSet: input.password !== undefined,
      },
    });
    await tx.flush();
    return user;
  });
}
