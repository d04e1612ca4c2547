import { randomBytes } from "node:crypto";
import {
  type Database,
  type EntityManager,
  UniqueConstraintViolationException,
  USER_ROLES,
  User,
} from "@parley/db";
import { errors, jwtVerify } from "jose";
import { z } from "zod";
import { hashPassword } from "./password.ts";
import { type PublicUser, toPublicUser } from "./public-user.ts";
import type { ValidatedSession } from "./sessions.ts";

/** A compact JWS: three base64url parts. Lucia session tokens never contain a dot. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** The claims the external auth service of the original design puts in its access tokens. */
const claimsSchema = z.object({
  sub: z.string().min(1).max(200),
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  username: z.string().trim().min(1).max(200),
  role: z.enum(USER_ROLES).catch("user"),
  exp: z.number().int(),
});

export type ExternalClaims = z.infer<typeof claimsSchema>;

export function looksLikeJwt(token: string): boolean {
  return JWT_SHAPE.test(token);
}

/**
 * Accepts HS256 access tokens signed by the external authentication service of the original
 * design (shared secret `JWT_ACCESS_SECRET`). The token's user is found by email or created; the
 * token's role is the external service's word and is stored on the user. The token stands in for a
 * session for as long as it is valid: it has no server-side state to end.
 */
export class ExternalTokenVerifier {
  readonly #db: Database;
  readonly #secret: Uint8Array;

  constructor(db: Database, secret: string) {
    this.#db = db;
    this.#secret = new TextEncoder().encode(secret);
  }

  /** The token's user, or null when it is not a JWT, is expired, badly signed or malformed. */
  async validate(token: string): Promise<{ session: ValidatedSession; user: PublicUser } | null> {
    if (!looksLikeJwt(token)) return null;
    const claims = await this.#verify(token);
    if (!claims) return null;
    const user = await userForClaims(this.#db.em.fork(), claims);
    if (!user.active) return null;
    return {
      session: { token, userId: user.id, expiresAt: new Date(claims.exp * 1000), fresh: false },
      user,
    };
  }

  async #verify(token: string): Promise<ExternalClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.#secret, { algorithms: ["HS256"] });
      const parsed = claimsSchema.safeParse(payload);
      return parsed.success ? parsed.data : null;
    } catch (error) {
      if (error instanceof errors.JOSEError) return null;
      throw error;
    }
  }
}

/** Finds the claims' user by email, creating it on first sight, and keeps its role in step. */
export async function userForClaims(em: EntityManager, claims: ExternalClaims): Promise<PublicUser> {
  const existing = await em.findOne(User, { email: claims.email });
  if (existing) {
    if (existing.role !== claims.role) {
      existing.role = claims.role;
      await em.flush();
    }
    return toPublicUser(existing);
  }
  const username = await freeUsername(em, claims);
  em.create(User, {
    email: claims.email,
    username,
    displayName: claims.username.slice(0, 80),
    // Nobody knows this password: the account signs in through the external service's tokens.
    passwordHash: await hashPassword(randomBytes(32).toString("base64url")),
    role: claims.role,
  });
  try {
    await em.flush();
  } catch (error) {
    // Two first requests at once: the other one created the user.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    em.clear();
    return toPublicUser(await em.findOneOrFail(User, { email: claims.email }));
  }
  return toPublicUser(await em.findOneOrFail(User, { email: claims.email }));
}

/** The token's username when Parley's rules allow it and it is free, else one derived from `sub`. */
async function freeUsername(em: EntityManager, claims: ExternalClaims): Promise<string> {
  const wanted = claims.username
    .toLowerCase()
    .replace(/[^a-z0-9_.-]/g, "")
    .slice(0, 32);
  if (wanted.length >= 3 && (await em.count(User, { username: wanted })) === 0) return wanted;
  const suffix = Buffer.from(claims.sub).toString("hex").slice(0, 8);
  return `${wanted.slice(0, 23) || "user"}-${suffix}`;
}
