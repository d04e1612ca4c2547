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
