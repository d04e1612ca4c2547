// The shapes environment variables come in, shared by config.ts and config-sso.ts.
import { z } from "zod";

/** A string variable where empty (or whitespace) means unset. */
export const optionalString = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();

/** An optional number variable where empty means unset, not 0 (a copied .env.example). */
export const optionalNumber = <T extends z.ZodType>(number: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), number.optional());

/** A variable holding a JSON object (empty: `{}`); `example` completes the error message. */
export const jsonObject = (example: string) =>
  z
    .string()
    .trim()
    .default("{}")
    .transform((text, ctx) => {
      try {
        return JSON.parse(text || "{}") as unknown;
      } catch {
        ctx.addIssue({
          code: "custom",
          message: `must be a JSON object${example ? ` such as ${example}` : ""}`,
        });
        return z.NEVER;
      }
    });
