import { randomBytes } from "node:crypto";
import { hashToken } from "./token-hash.ts";

/** A random link token (256 bits, URL-safe) and the SHA-256 hash that is all the database keeps. */
export function newOneTimeToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashToken(token) };
}

export { hashToken };
