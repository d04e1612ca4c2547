import { AuthSession, type Database } from "@parley/db";
import { Lucia, TimeSpan } from "lucia";
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
}

/** Creates, validates and ends sessions. The token returned to clients is the lucia session id. */
export class SessionManager {
  readonly #lucia: Lucia<SessionAttributes, PublicUser>;
  readonly #db: Database;

  constructor(db: Database, options: SessionManagerOptions) {
    this.#db = db;
    this.#lucia = new Lucia(new MikroOrmSessionAdapter(db), {
      sessionExpiresIn: new TimeSpan(options.ttlDays, "d"),
      sessionCookie: { name: SESSION_COOKIE_NAME },
      getUserAttributes: (attributes) => attributes,
      getSessionAttributes: (attributes) => attributes,
    });
  }

  async create(userId: string, attributes: SessionAttributes): Promise<{ token: string; expiresAt: Date }> {
    const session = await this.#lucia.createSession(userId, attributes);
    return { token: session.id, expiresAt: session.expiresAt };
  }

  /** The session and its (active) user, or null when the token is unknown, expired or the user inactive. */
  async validate(token: string): Promise<{ session: ValidatedSession; user: PublicUser } | null> {
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

  end(token: string): Promise<void> {
    return this.#lucia.invalidateSession(token);
  }

  endAllFor(userId: string): Promise<void> {
    return this.#lucia.invalidateUserSessions(userId);
  }

  /** Ends every session of the user except the one holding `keepToken`. */
  async endOthersFor(userId: string, keepToken: string): Promise<void> {
    await this.#db.em.fork().nativeDelete(AuthSession, { user: userId, id: { $ne: hashToken(keepToken) } });
  }

  deleteExpired(): Promise<void> {
    return this.#lucia.deleteExpiredSessions();
  }
}
