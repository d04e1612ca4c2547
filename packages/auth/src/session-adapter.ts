import {
  AuthSession,
  type Database,
  type PreparedStatement,
  queryPrepared,
  toDate,
  toNullableDate,
  User,
  type UserRole,
} from "@parley/db";
import type { Adapter, DatabaseSession, DatabaseUser } from "lucia";
import type { PublicUser } from "./public-user.ts";
import { hashToken } from "./token-hash.ts";

/**
 * The session and its (active) user in one prepared statement: what every request whose
 * credential is not cached pays, so no ORM hydration and no query building on the way.
 */
const READ_SESSION: PreparedStatement = {
  name: "parley_read_session",
  text: `select s.expires_at, s.user_agent, s.ip_address, u.id as user_id, u.email, u.username,
                u.display_name, u.role, u.active, u.created_at, u.updated_at, u.last_login_at
           from auth_sessions s join users u on u.id = s.user_id
          where s.id = $1 and u.active`,
};

interface SessionRow {
  expires_at: Date | string;
  user_agent: string | null;
  ip_address: string | null;
  user_id: string;
  email: string;
  username: string;
  display_name: string;
  role: UserRole;
  active: boolean;
  created_at: Date | string;
  updated_at: Date | string;
  last_login_at: Date | string | null;
}

/**
 * lucia v3 adapter over MikroORM (and, for the one read on every uncached request, a prepared
 * statement). lucia hands us the session id it gave the client (the token); we store and look up
 * only its SHA-256 hash, and hand lucia back the token it asked about. An inactive user's sessions
 * are treated as absent, so deactivation takes effect at once.
 */
export class MikroOrmSessionAdapter implements Adapter {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = await queryPrepared<SessionRow>(this.#db.em.fork(), READ_SESSION, [hashToken(sessionId)]);
    if (!row) return [null, null];
    const session: DatabaseSession = {
      id: sessionId,
      userId: row.user_id,
      expiresAt: toDate(row.expires_at),
      attributes: { userAgent: row.user_agent, ipAddress: row.ip_address },
    };
    const attributes: PublicUser = {
      id: row.user_id,
      email: row.email,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      active: row.active,
      createdAt: toDate(row.created_at),
      updatedAt: toDate(row.updated_at),
      lastLoginAt: toNullableDate(row.last_login_at),
    };
    return [session, { id: row.user_id, attributes }];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const em = this.#db.em.fork();
    const rows = await em.find(AuthSession, { user: userId });
    // Only hashes are stored, so the original ids cannot be returned: the hash stands in for them.
    return rows.map((row) => this.#toDatabaseSession(row, row.id));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    const em = this.#db.em.fork();
    em.create(AuthSession, {
      id: hashToken(session.id),
      user: em.getReference(User, session.userId),
      expiresAt: session.expiresAt,
      userAgent: session.attributes.userAgent ?? null,
      ipAddress: session.attributes.ipAddress ?? null,
    });
    await em.flush();
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await this.#db.em.fork().nativeUpdate(AuthSession, { id: hashToken(sessionId) }, { expiresAt });
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.#db.em.fork().nativeDelete(AuthSession, { id: hashToken(sessionId) });
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.#db.em.fork().nativeDelete(AuthSession, { user: userId });
  }

  async deleteExpiredSessions(): Promise<void> {
    await this.#db.em.fork().nativeDelete(AuthSession, { expiresAt: { $lte: new Date() } });
  }

  #toDatabaseSession(row: AuthSession, id: string): DatabaseSession {
    return {
      id,
      userId: row.user.id,
      expiresAt: row.expiresAt,
      attributes: { userAgent: row.userAgent ?? null, ipAddress: row.ipAddress ?? null },
    };
  }
}
