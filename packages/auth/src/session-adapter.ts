import { AuthSession, type Database, User } from "@parley/db";
import type { Adapter, DatabaseSession, DatabaseUser } from "lucia";
import { toPublicUser } from "./public-user.ts";
import { hashToken } from "./token-hash.ts";

/**
 * lucia v3 adapter over MikroORM. lucia hands us the session id it gave the client (the token);
 * we store and look up only its SHA-256 hash, and hand lucia back the token it asked about.
 * An inactive user's sessions are treated as absent, so deactivation takes effect at once.
 */
export class MikroOrmSessionAdapter implements Adapter {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const em = this.#db.em.fork();
    const row = await em.findOne(AuthSession, { id: hashToken(sessionId) }, { populate: ["user"] });
    if (!row?.user.active) return [null, null];
    return [this.#toDatabaseSession(row, sessionId), { id: row.user.id, attributes: toPublicUser(row.user) }];
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
