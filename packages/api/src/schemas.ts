// Input schemas shared by routers and clients. Every string is capped: nothing unbounded reaches
// the database or the password hasher. Every string is storable text (safeString): routers use
// it instead of z.string().
import { USER_ROLES } from "@parley/db";
import {
  isStorableText,
  MAX_CREDITS,
  MAX_DISPLAY_NAME_LENGTH,
  MAX_EMAIL_LENGTH,
  MAX_EXPIRY_DAYS,
  MAX_MODEL_ID_LENGTH,
  MAX_NOTES_LENGTH,
  MAX_PASSWORD_LENGTH,
  MAX_USERNAME_LENGTH,
  MIN_USERNAME_LENGTH,
  NOT_STORABLE_TEXT,
  USERNAME_PATTERN,
} from "@parley/validators";
import { z } from "zod";

/** z.string() for every input: unstorable text is a BAD_REQUEST, not a database error. */
export function safeString() {
  return z.string().refine(isStorableText, { message: NOT_STORABLE_TEXT, abort: true });
}

const MAX_JSON_DEPTH = 32;

/** Plain JSON whose every key and string is storable text, nested at most MAX_JSON_DEPTH deep. */
export function isStorableJson(value: unknown, depth = 0): boolean {
  if (depth > MAX_JSON_DEPTH) return false;
  if (typeof value === "string") return isStorableText(value);
  // superjson can revive a bigint, which JSON (and so jsonb) cannot hold.
  if (typeof value === "bigint") return false;
  if (Array.isArray(value)) return value.every((item) => isStorableJson(item, depth + 1));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).every(
      ([key, item]) => isStorableText(key) && isStorableJson(item, depth + 1),
    );
  }
  return true;
}

export const emailSchema = safeString()
  .trim()
  .toLowerCase()
  .max(MAX_EMAIL_LENGTH)
  .pipe(z.email({ message: "Enter a valid email address." }));

export const usernameSchema = safeString()
  .trim()
  .min(MIN_USERNAME_LENGTH, `Username must be at least ${MIN_USERNAME_LENGTH} characters.`)
  .max(MAX_USERNAME_LENGTH, `Username must be at most ${MAX_USERNAME_LENGTH} characters.`)
  .regex(USERNAME_PATTERN, "Username may contain letters, digits, '.', '_' and '-'.");

export const displayNameSchema = safeString()
  .trim()
  .max(MAX_DISPLAY_NAME_LENGTH, `Display name must be at most ${MAX_DISPLAY_NAME_LENGTH} characters.`);

/** Strength is judged by the domain (it needs the username and email); here only the size cap. */
export const passwordSchema = safeString().max(
  MAX_PASSWORD_LENGTH,
  `Password must be at most ${MAX_PASSWORD_LENGTH} characters.`,
);

export const roleSchema = z.enum(USER_ROLES);

export const pageSchema = {
  page: z.number().int().min(1).max(100_000).default(1),
  size: z.number().int().min(1).max(100).default(20),
};

export { MAX_CREDITS };
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
export const notesSchema = safeString().trim().max(MAX_NOTES_LENGTH);
export const expiryDaysSchema = z.number().int().min(1).max(MAX_EXPIRY_DAYS);
export const modelIdSchema = safeString().trim().min(1).max(MAX_MODEL_ID_LENGTH);
export const userIdSchema = z.uuid();
const FIRST_DATE = new Date("1900-01-01T00:00:00Z");
const LAST_DATE = new Date("9999-12-31T23:59:59.999Z");

/** Years 1900 to 9999: PostgreSQL cannot read the dates JavaScript writes outside four-digit years. */
export const dateSchema = z.coerce
  .date()
  .min(FIRST_DATE, "Dates start in 1900.")
  .max(LAST_DATE, "Dates end in 9999.");

/**
 * The same years for a Date sent as one (superjson's Date, not coerced from text): a client can
 * send any Date JavaScript holds, up to the year 275760.
 */
export const exactDateSchema = z
  .date()
  .min(FIRST_DATE, "Dates start in 1900.")
  .max(LAST_DATE, "Dates end in 9999.");

/** Free-form JSON attached to usage records, capped at 16 KB once serialised. */
export const metadataSchema = z
  .record(safeString().max(100), z.unknown())
  .refine((value) => isStorableJson(value), {
    message: `Metadata must be JSON nested at most ${MAX_JSON_DEPTH} deep, with no NUL characters or unpaired surrogates.`,
    abort: true,
  })
  .refine((value) => JSON.stringify(value).length <= 16_384, "Metadata must be at most 16 KB of JSON.");
