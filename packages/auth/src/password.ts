import { hash, verify } from "@node-rs/argon2";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@parley/validators";
import { COMMON_PASSWORDS } from "./common-passwords.ts";

// OWASP's recommended argon2id floor (m=19 MiB, t=2, p=1); ~70 ms on this class of machine.
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH };

/** argon2id hash in PHC string format (algorithm, parameters and salt travel inside it). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password);
}

/** Why a password is too weak to accept, or null when it is acceptable. */
export function passwordWeakness(
  password: string,
  context: { email?: string; username?: string } = {},
): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `Password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  }
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered)) {
    return "Password is too common: it appears in lists of leaked passwords.";
  }
  if (new Set(lowered).size < 4) {
    return "Password repeats too few characters to be safe.";
  }
  const personal = [context.username, context.email?.split("@")[0]].filter(
    (s): s is string => !!s && s.length >= 4,
  );
  if (personal.some((part) => lowered.includes(part.toLowerCase()))) {
    return "Password must not contain your username or email.";
  }
  return null;
}

let dummyHash: Promise<string> | undefined;

/**
 * Burns the same time as a real verification. Used when the login name is unknown, so response
 * time does not reveal which accounts exist.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("parley-dummy-password-for-timing");
  await verify(await dummyHash, password);
  return false;
}
