import { createHash } from "node:crypto";

/** Session tokens are stored only as their SHA-256 digest (hex). */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
