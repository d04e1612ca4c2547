import { AuthSession, type Database, User } from "@parley/db";
import { Lucia, TimeSpan } from "lucia";
import { type ValidatedApiKey, validateApiKey } from "./api-keys.ts";
import { AuthCache, type AuthInvalidationBus } from "./auth-cache.ts";
import type { PublicUser } from "./public-user.ts";
import { MikroOrmSessionAdapter } from "./session-adapter.ts";
import { hashToken } from "./token-hash.ts";

export interface SessionAttributes {
  userAgent: string | null;
  ipAddress: string | null;
}

// lucia v3 is in maintenance upstream; it is used only here, behind `SessionManager`, so it can be
// replaced by a few dozen lines of our own without touching callers.
declare module "lucia" {
  interface Register {
    Lucia: Lucia<SessionAttributes, PublicUser>;
    DatabaseUserAttributes: PublicUser;
    DatabaseSessionAttributes: SessionAttributes;
  }
}

export const SESSION_COOKIE_NAME = "parley_session";

export interface ValidatedSession {
  token: string;
  userId: string;
  expiresAt: Date;
  /** The expiry was just extended (sliding window): the cookie should be re-sent. */
  fresh: boolean;
}

export interface SessionManagerOptions {
  /** Sessions expire after this many days without use. */
  ttlDays: number;
  /** How long a validated session or API key is trusted without the database (default 5 s; 0: never). */
  cacheTtlMs?: number;
  /** How many validated credentials the cache keeps (default 10,000). */
  cacheMax?: number;
}

type SessionAndUser = { session: ValidatedSession; user: PublicUser };
type Credential = { kind: "session"; found: SessionAndUser } | { kind: "apiKey"; found: ValidatedApiKey };

/**
 * Creates, validates and ends sessions. The token returned to clients is the lucia session id.
 * Validated sessions and API keys are cached for a few seconds (see AuthCache); everything that ends
 * a session or changes a user goes through `invalidateUser`, here or in the caller.
 */
export class SessionManager {
  readonly #lucia: Lucia<SessionAttributes, PublicUser>;
  readonly #db: Database;
  readonly #cache: AuthCache<Credential>;

  constructor(db: Database, options: SessionManagerOptions) {
    this.#db = db;
    this.#cache = new AuthCache({ ttlMs: options.cacheTtlMs ?? 5000, max: options.cacheMax ?? 10_000 });
    this.#lucia = new Lucia(new MikroOrmSessionAdapter(db), {
      sessionExpiresIn: new TimeSpan(options.ttlDays, "d"),
      sessionCookie: { name: SESSION_COOKIE_NAME },
      getUserAttributes: (attributes) => attributes,
      getSessionAttributes: (attributes) => attributes,
    });
  }

  /**
   * Signs the user in: opens a session and records the sign-in. Every way in (password, registration,
   * single sign-on) comes through here, so "last sign-in" is never missed.
   */
  async create(
    userId: string,
    attributes: SessionAttributes,
  ): Promise<{ token: string; expiresAt: Date; signedInAt: Date }> {
    const session = await this.#lucia.createSession(userId, attributes);
    const signedInAt = new Date();
    await this.#db.em.fork().nativeUpdate(User, { id: userId }, { lastLoginAt: signedInAt });
    await this.invalidateUser(userId);
    return { token: session.id, expiresAt: session.expiresAt, signedInAt };
  }

  /** Sends invalidations to the other server processes too (null: this process only). */
  setInvalidationBus(bus: AuthInvalidationBus | null): void {
    this.#cache.setBus(bus);
  }

  /** Applies an invalidation received from another process. */
  dropCachedUser(userId: string): void {
    this.#cache.dropUser(userId);
  }

  /**
   * Forgets every cached credential of the user, in every process: call it after any change to the
   * user (profile, role, activation) or their credentials (API key revoked).
   */
  invalidateUser(userId: string): Promise<void> {
    return this.#cache.invalidateUser(userId);
  }

  /** The session and its (active) user, or null when the token is unknown, expired or the user inactive. */
  async validate(token: string): Promise<SessionAndUser | null> {
    const cached = await this.#cache.get(`s:${hashToken(token)}`, async () => {
      const found = await this.#validateUncached(token);
      if (!found) return null;
      // The cookie is re-sent once, with the answer that extended the session, not on every hit.
      const stored: Credential = {
        kind: "session",
        found: { ...found, session: { ...found.session, fresh: false } },
      };
      return {
        userId: found.user.id,
        expiresAt: found.session.expiresAt,
        value: stored,
        returned: { kind: "session", found },
      };
    });
    return cached?.kind === "session" ? cached.found : null;
  }

  /** The API key behind a secret (see `validateApiKey`), cached as sessions are. */
  async validateApiKey(secret: string): Promise<ValidatedApiKey | null> {
    const cached = await this.#cache.get(`k:${hashToken(secret)}`, async () => {
      const found = await validateApiKey(this.#db, secret);
      if (!found) return null;
      return { userId: found.user.id, expiresAt: found.expiresAt, value: { kind: "apiKey", found } };
    });
    return cached?.kind === "apiKey" ? cached.found : null;
  }

  async #validateUncached(token: string): Promise<SessionAndUser | null> {
    const { session, user } = await this.#lucia.validateSession(token);
    if (!session || !user) return null;
    return {
      session: {
        token: session.id,
        userId: session.userId,
        expiresAt: session.expiresAt,
        fresh: session.fresh,
      },
      user: {
        id: user.id,
        email: user.email,
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        active: user.active,
        createdAt: user.createdAt,
        updatedAt: user.updatedAt,
        lastLoginAt: user.lastLoginAt,
      },
    };
  }

  async end(session: { token: string; userId: string }): Promise<void> {
    await this.#lucia.invalidateSession(session.token);
    await this.invalidateUser(session.userId);
  }

  async endAllFor(userId: string): Promise<void> {
    await this.#lucia.invalidateUserSessions(userId);
    await this.invalidateUser(userId);
  }

  /** Ends every session of the user except the one holding `keepToken`. */
  async endOthersFor(userId: string, keepToken: string): Promise<void> {
    await this.#db.em.fork().nativeDelete(AuthSession, { user: userId, id: { $ne: hashToken(keepToken) } });
    await this.invalidateUser(userId);
  }

  deleteExpired(): Promise<void> {
    return this.#lucia.deleteExpiredSessions();
  }
}
