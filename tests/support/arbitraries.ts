// fast-check arbitraries for any procedure input, derived from its zod schema through
// z.toJSONSchema (no maintained zod-4 → fast-check library exists), mixed with hostile values.
import fc from "fast-check";
import { z } from "zod";

/** Strings that have broken servers: NUL, lone surrogates, huge, direction marks, markup, SQL. */
export const HOSTILE_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\udc00\ud800",
  "🙂".repeat(40),
  "\u202eevil\u202c",
  "Z\u0337\u0327a\u0338l\u0336g\u0334o",
  "' OR 1=1 --",
  "%00%ff",
  "../../etc/passwd",
  "<img src=x onerror=alert(1)>",
  "\\u0000",
  "x".repeat(20_000),
] as const;

const HOSTILE_NUMBERS = [-1, 0, 0.5, -0.5, 2 ** 53, -(2 ** 53), 1e308, -1e308, 1e-300] as const;

const hostileAny = fc.constantFrom<unknown>(null, true, [], {}, "", 0, [null], { "\u0000": 1 });

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  additionalProperties?: JsonSchema | boolean;
}

/** Valid-looking values for one JSON-schema node (the zod refinements may still refuse them). */
function plausible(node: JsonSchema): fc.Arbitrary<unknown> {
  if (node.enum) return fc.constantFrom(...node.enum);
  if ("const" in node) return fc.constant(node.const);
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map(fromJsonSchema));
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  switch (type) {
    case "string":
      if (node.format === "uuid") return fc.uuid();
      if (node.format === "email") return fc.emailAddress();
      if (node.pattern) return fc.stringMatching(new RegExp(node.pattern));
      return fc.string({ minLength: node.minLength ?? 0, maxLength: Math.min(node.maxLength ?? 40, 200) });
    case "integer":
      return fc.integer({
        min: Math.max(node.minimum ?? (node.exclusiveMinimum ?? -1e9) + 1, -1e12),
        max: Math.min(node.maximum ?? 1e9, 1e12),
      });
    case "number":
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(node.items ? fromJsonSchema(node.items) : fc.jsonValue(), { maxLength: 5 });
    case "object": {
      const properties = node.properties ?? {};
      if (Object.keys(properties).length === 0) {
        return fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 });
      }
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, child] of Object.entries(properties)) record[key] = fromJsonSchema(child);
      return fc.record(record, { requiredKeys: node.required ?? [] });
    }
    default:
      // Unrepresentable in JSON schema (e.g. coerced dates): dates, and anything else.
      return fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.jsonValue({ maxDepth: 2 }),
      );
  }
}

/** Mostly plausible values, sometimes hostile ones of the same type or of any type. */
export function fromJsonSchema(node: JsonSchema): fc.Arbitrary<unknown> {
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  const hostileOfType =
    type === "string"
      ? fc.constantFrom<unknown>(...HOSTILE_STRINGS)
      : type === "integer" || type === "number"
        ? fc.constantFrom<unknown>(...HOSTILE_NUMBERS)
        : hostileAny;
  return fc.oneof(
    { weight: 6, arbitrary: plausible(node) },
    { weight: 2, arbitrary: hostileOfType },
    { weight: 1, arbitrary: hostileAny },
  );
}

/** Inputs for a procedure: from its (first) zod input schema, or any JSON when it takes none. */
export function inputsFor(schemas: z.ZodType[]): fc.Arbitrary<unknown> {
  const [schema] = schemas;
  if (!schema) return fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }));
  const jsonSchema = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return fc.oneof(
    { weight: 8, arbitrary: plausible(jsonSchema) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}
