import type { ApiKeyScope } from "@parley/auth";

/**
 * What each API key scope opens, by procedure path. `auth.me` is open to every key (a program
 * checks whom its key belongs to); the rest of `auth.*` (sign-out, password, profile, key
 * management) needs a signed-in session, so a leaked key cannot mint more keys or lock its owner
 * out. The role checks of each procedure still apply: the `admin` scope of a supervisor's key
 * opens only what supervisors may do.
 */
const SCOPE_BY_PREFIX: [prefix: string, scope: ApiKeyScope][] = [
  ["sessions.", "chat"],
  ["feedback.", "chat"],
  ["presets.", "chat"],
  ["accounting.", "accounting"],
  ["admin.", "admin"],
];

const OPEN_TO_EVERY_KEY = new Set(["auth.me"]);

/** The scope a procedure needs from an API key: "any" for every key, null when keys may not call it. */
export function scopeForProcedure(path: string): ApiKeyScope | "any" | null {
  if (OPEN_TO_EVERY_KEY.has(path)) return "any";
  return SCOPE_BY_PREFIX.find(([prefix]) => path.startsWith(prefix))?.[1] ?? null;
}

/** Whether a key with these scopes may call the procedure at `path`. */
export function apiKeyMayCall(scopes: readonly ApiKeyScope[], path: string): boolean {
  const needed = scopeForProcedure(path);
  return needed === "any" || (needed !== null && scopes.includes(needed));
}
