import { hash } from "node:crypto";

/**
 * Session tokens are stored only as their SHA-256 digest (hex). One-shot `hash` rather than a
 * Hash object: it runs on every authenticated request (the session cache's key), and skips
 * creating and finalizing a Hash object each time.
 */
export function hashToken(token: string): string {
  return hash("sha256", token, "hex");
}
