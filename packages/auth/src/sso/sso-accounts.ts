import { randomBytes } from "node:crypto";
import {
  type EntityManager,
  UniqueConstraintViolationException,
  User,
  UserIdentity,
  type UserRole,
} from "@parley/db";
import { hashPassword } from "../password.ts";
import { type PublicUser, toPublicUser } from "../public-user.ts";
import { ssoRefusal } from "./sso-errors.ts";

/** Who the provider says signed in, from the verified ID token and the UserInfo response. */
export interface SsoIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  preferredUsername: string | null;
}

export interface SsoSignInOptions {
  /** The role to give the user (mapped from a claim), or undefined to leave roles alone. */
  role?: UserRole | undefined;
  /** Whether a sign-in with no matching account may create one for this (verified) e-mail. */
  mayCreateAccount: (email: string) => boolean;
}

export interface SsoSignInResult {
  user: PublicUser;
  /** The account was created by this sign-in (the caller grants welcome credits). */
  created: boolean;
}

const USERNAME_PATTERN = /^[a-z0-9_.-]{3,32}$/;

/**
 * Finds or creates the Parley account for a provider identity. An identity seen before matches by
 * issuer + subject, whatever its e-mail is now. A new identity is linked to the account with the
 * same e-mail only when the provider says it verified that address; otherwise anyone able to type
 * someone's address at the provider could take over their account.
 */
export async function signInWithSso(
  em: EntityManager,
  identity: SsoIdentity,
  options: SsoSignInOptions,
): Promise<SsoSignInResult> {
  const known = await em.findOne(
    UserIdentity,
    { issuer: identity.issuer, subject: identity.subject },
    { populate: ["user"] },
  );
  let link = known;
  let user = known?.user ?? null;
  let created = false;

  if (!user) {
    const email = verifiedEmail(identity);
    user = await em.findOne(User, { email });
    if (user) {
      assertActive(user);
      const other = await em.count(UserIdentity, { user, issuer: identity.issuer });
      if (other > 0) {
        throw ssoRefusal(
          "CONFLICT",
          "sso_account_conflict",
          "That e-mail's Parley account is already linked to another account at this provider.",
        );
      }
    } else {
      if (!options.mayCreateAccount(email)) {
        throw ssoRefusal("FORBIDDEN", "sso_registration_closed", "New accounts cannot be created here.");
      }
      user = em.create(User, {
        email,
        username: await freeUsername(em, identity, email),
        displayName: identity.name?.trim().slice(0, 80) || email.split("@")[0]?.slice(0, 80) || email,
        // Nobody knows this password: the account signs in through the provider.
        passwordHash: await hashPassword(randomBytes(32).toString("base64url")),
        role: "user",
      });
      created = true;
    }
    link = em.create(UserIdentity, { user, issuer: identity.issuer, subject: identity.subject, email });
  }
  assertActive(user);

  const now = new Date();
  if (options.role) user.role = options.role;
  user.lastLoginAt = now;
  if (link) link.lastLoginAt = now;
  try {
    await em.flush();
  } catch (error) {
    // Two first sign-ins of the same identity (or e-mail) at once: the other one won.
    if (error instanceof UniqueConstraintViolationException) {
      throw ssoRefusal("CONFLICT", "sso_account_conflict", "This account was being linked at the same time.");
    }
    throw error;
  }
  return { user: toPublicUser(user), created };
}

function verifiedEmail(identity: SsoIdentity): string {
  const email = identity.email?.trim().toLowerCase();
  if (!email || email.length > 254 || !email.includes("@")) {
    throw ssoRefusal("FORBIDDEN", "sso_email_missing", "The provider did not share an e-mail address.");
  }
  if (!identity.emailVerified) {
    throw ssoRefusal(
      "FORBIDDEN",
      "sso_email_unverified",
      "The provider has not verified this e-mail address, so it cannot be linked to an account.",
    );
  }
  return email;
}

function assertActive(user: User): void {
  if (!user.active) {
    throw ssoRefusal("FORBIDDEN", "sso_account_deactivated", "This account has been deactivated.");
  }
}

/** The provider's preferred username, else the e-mail's local part; a number is added while taken. */
async function freeUsername(em: EntityManager, identity: SsoIdentity, email: string): Promise<string> {
  const preferred = identity.preferredUsername?.trim().toLowerCase() ?? "";
  const fromEmail = (email.split("@")[0] ?? "").replace(/[^a-z0-9_.-]/g, "").slice(0, 26);
  const base =
    USERNAME_PATTERN.test(preferred) && !preferred.includes("@")
      ? preferred
      : fromEmail.length >= 3
        ? fromEmail
        : `user${fromEmail}`;
  for (let attempt = 0; attempt < 5; attempt++) {
    const suffix = attempt === 0 ? "" : String(Math.floor(Math.random() * 10 ** (attempt + 2)));
    const candidate = `${base.slice(0, 32 - suffix.length)}${suffix}`;
    if ((await em.count(User, { username: candidate })) === 0) return candidate;
  }
  return `user-${randomBytes(6).toString("hex")}`;
}
