import { USER_ROLES, type UserRole } from "@parley/db";

const RANK: Record<UserRole, number> = { user: 0, supervisor: 1, admin: 2 };

/**
 * The role a provider's claims grant. The claim may hold one value or a list (e.g. groups); each
 * value is looked up in `roleMap` (or, when the map is empty, taken as a role name itself) and the
 * highest role found wins. No matching value means `user`: the provider decides, so taking someone
 * out of the admin group demotes them at their next sign-in.
 *
 * `claim` names a top-level claim; when there is none by that exact name (namespaced claims such
 * as `https://example.com/roles` contain dots), a dotted path is followed (`realm_access.roles`).
 */
export function roleFromClaims(
  claims: Record<string, unknown>,
  claim: string,
  roleMap: Readonly<Record<string, UserRole>>,
): UserRole {
  const raw = claim in claims ? claims[claim] : followPath(claims, claim.split("."));
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === "string");
  const lookup = Object.keys(roleMap).length > 0 ? roleMap : identityMap;
  let role: UserRole = "user";
  for (const value of values) {
    const mapped = Object.hasOwn(lookup, value) ? lookup[value] : undefined;
    if (mapped && RANK[mapped] > RANK[role]) role = mapped;
  }
  return role;
}

const identityMap: Record<string, UserRole> = Object.fromEntries(USER_ROLES.map((role) => [role, role]));

function followPath(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
