import { randomBytes } from "node:crypto";
import { DomainError } from "@parley/core";
import {
  API_KEY_SCOPES,
  ApiKey,
  type ApiKeyScope,
  type AuditActor,
  type Database,
  type EntityManager,
  recordAudit,
  User,
} from "@parley/db";
import { type PublicUser, toPublicUser } from "./public-user.ts";
import { hashToken } from "./token-hash.ts";

export { API_KEY_SCOPES, type ApiKeyScope };

/** Every secret starts with this, so keys are recognisable (in logs, in secret scanners). */
export const API_KEY_PREFIX = "pk_";
/** How much of the secret is kept in clear text, to tell keys apart in a list. */
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
/** Live (not revoked) keys one user may hold. */
export const MAX_API_KEYS_PER_USER = 50;
/** `lastUsedAt` is written at most this often per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** What the owner sees of a key: never the secret, which is shown once at creation. */
export interface ApiKeyView {
  id: string;
  name: string;
  /** The secret's first characters, e.g. `pk_Xy3kP9aQ`. */
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

/** A validated key: its owner (active) and what it may do. */
export interface ValidatedApiKey {
  id: string;
  scopes: ApiKeyScope[];
  user: PublicUser;
  expiresAt: Date | null;
}

/** Whether the given text looks like an API key (rather than a session token). */
export function isApiKeySecret(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

/** Scopes a role may put on its keys: `admin` covers the admin.* procedures, open to supervisors and admins. */
export function scopesAllowedFor(role: PublicUser["role"]): ApiKeyScope[] {
  return role === "user" ? ["chat", "accounting"] : [...API_KEY_SCOPES];
}

function toView(key: ApiKey): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: [...key.scopes],
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt ?? null,
    expiresAt: key.expiresAt ?? null,
  };
}

/** Creates a key for the user; the returned secret is never stored and cannot be shown again. */
export async function createApiKey(
  em: EntityManager,
  input: { userId: string; name: string; scopes: ApiKeyScope[]; expiresAt?: Date | undefined; now?: Date },
): Promise<{ key: ApiKeyView; secret: string }> {
  const user = await em.findOneOrFail(User, input.userId);
  const allowed = scopesAllowedFor(user.role);
  const refused = input.scopes.filter((scope) => !allowed.includes(scope));
  if (refused.length > 0) {
    throw new DomainError("FORBIDDEN", `Your role cannot create keys with the ${refused.join(", ")} scope.`, {
      field: "scopes",
    });
  }
  const now = input.now ?? new Date();
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
    throw new DomainError("BAD_REQUEST", "The expiry must be in the future.", { field: "expiresAt" });
  }
  const live = await em.count(ApiKey, { user: input.userId, revokedAt: null });
  if (live >= MAX_API_KEYS_PER_USER) {
    throw new DomainError(
      "CONFLICT",
      `You can have at most ${MAX_API_KEYS_PER_USER} API keys; revoke one first.`,
    );
  }

  const secret = `${API_KEY_PREFIX}${randomBytes(24).toString("base64url")}`;
  const key = em.create(ApiKey, {
    user: input.userId,
    name: input.name,
    prefix: secret.slice(0, DISPLAY_PREFIX_LENGTH),
    secretHash: hashToken(secret),
    scopes: [...new Set(input.scopes)],
    expiresAt: input.expiresAt ?? null,
  });
  await em.flush();
  return { key: toView(key), secret };
}

/** The user's live keys, newest first (revoked ones are not listed). */
export async function listApiKeys(em: EntityManager, userId: string): Promise<ApiKeyView[]> {
  const keys = await em.find(
    ApiKey,
    { user: userId, revokedAt: null },
    { orderBy: { createdAt: "desc", id: "asc" } },
  );
  return keys.map(toView);
}

/**
 * Revokes one of the actor's own keys; it stops working at once. Every revoke gets an
 * `apikey.revoke` audit record, flushed with the change in one transaction.
 */
export async function revokeApiKey(em: EntityManager, actor: AuditActor, keyId: string): Promise<void> {
  const key = await em.findOne(ApiKey, { id: keyId, user: actor.id, revokedAt: null });
  if (!key) throw new DomainError("NOT_FOUND", "No such API key.");
  key.revokedAt = new Date();
  recordAudit(em, actor, {
    action: "apikey.revoke",
    targetType: "apikey",
    targetId: key.id,
    before: { name: key.name, prefix: key.prefix, ownerId: actor.id, revokedAt: null },
    after: { revokedAt: key.revokedAt.toISOString() },
  });
  await em.flush();
}

/**
 * The key behind a secret, or null when it is unknown, revoked, expired or its owner is
 * deactivated. Checked on every request, so revoking or deactivating takes effect at once.
 */
export async function validateApiKey(db: Database, secret: string): Promise<ValidatedApiKey | null> {
  if (!isApiKeySecret(secret)) return null;
  const em = db.em.fork();
  const key = await em.findOne(
    ApiKey,
    { secretHash: hashToken(secret), revokedAt: null },
    { populate: ["user"] },
  );
  const now = new Date();
  if (!key?.user.active || (key.expiresAt && key.expiresAt.getTime() <= now.getTime())) return null;

  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await em.nativeUpdate(ApiKey, { id: key.id }, { lastUsedAt: now });
  }
  return {
    id: key.id,
    scopes: [...key.scopes],
    user: toPublicUser(key.user),
    expiresAt: key.expiresAt ?? null,
  };
}
