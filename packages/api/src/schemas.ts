// Input schemas shared by routers and clients. Every string is capped: nothing unbounded reaches
// the database or the password hasher.
import { MAX_PASSWORD_LENGTH } from "@parley/auth";
import { USER_ROLES } from "@parley/db";
import { z } from "zod";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: "Enter a valid email address." }));

export const usernameSchema = z
  .string()
  .trim()
  .min(3, "Username must be at least 3 characters.")
  .max(32, "Username must be at most 32 characters.")
  .regex(/^[a-zA-Z0-9_.-]+$/, "Username may contain letters, digits, '.', '_' and '-'.");

export const displayNameSchema = z.string().trim().max(80, "Display name must be at most 80 characters.");

/** Strength is judged by the domain (it needs the username and email); here only the size cap. */
export const passwordSchema = z
  .string()
  .max(MAX_PASSWORD_LENGTH, `Password must be at most ${MAX_PASSWORD_LENGTH} characters.`);

export const roleSchema = z.enum(USER_ROLES);

export const pageSchema = {
  page: z.number().int().min(1).max(100_000).default(1),
  size: z.number().int().min(1).max(100).default(20),
};

/** Credits are whole, positive and far below 2^53 (JavaScript's exact-integer limit). */
export const MAX_CREDITS = 1_000_000_000_000;
export const creditsSchema = z
  .number()
  .int("Credits must be a whole number.")
  .positive("Credits must be positive.")
  .max(MAX_CREDITS);
export const signedCreditsSchema = z
  .number()
  .int("Credits must be a whole number.")
  .min(-MAX_CREDITS)
  .max(MAX_CREDITS)
  .refine((n) => n !== 0, "The adjustment must not be zero.");
export const tokenCountSchema = z.number().int().min(0).max(10_000_000);
export const notesSchema = z.string().trim().max(500);
export const expiryDaysSchema = z.number().int().min(1).max(3650);
export const modelIdSchema = z.string().trim().min(1).max(200);
export const userIdSchema = z.uuid();
export const dateSchema = z.coerce.date();

/** Free-form JSON attached to usage records, capped at 16 KB once serialised. */
export const metadataSchema = z
  .record(z.string().max(100), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 16_384, "Metadata must be at most 16 KB of JSON.");
