// fast-check arbitraries for any procedure input, derived from its zod schema through
// z.toJSONSchema (no maintained zod-4 → fast-check library exists), mixed with hostile values.
// Values JSON cannot carry (Dates, -0, NaN, ±Infinity) are sent the way superjson sends them
// (toWire in procedures.ts), so they reach the server as a real client's would.
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
  // LIKE's escape character alone and its wildcards (a pattern must not end with "\\").
  "\\",
  "a\\",
  "%_%",
  "\t\r\n",
  "\ufeff",
  // Longer once lower-cased (İ becomes two UTF-16 units): a cap checked before toLowerCase misses it.
  "İ".repeat(200),
  // Numbers, dates and names as text, where code might parse or look them up.
  "NaN",
  "-0",
  "1e308",
  "Infinity",
  "null",
  "__proto__",
  "+275760-09-13T00:00:00.000Z",
  "0000-00-00",
] as const;

const HOSTILE_NUMBERS = [
  -1,
  0,
  -0,
  0.5,
  -0.5,
  1.5,
  // Subnormal and tiny: below what PostgreSQL's real (~1e-38) and double precision keep.
  5e-324,
  -5e-324,
  1e-39,
  1e-300,
  // Around the bounds of int4, int8 and exact doubles.
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 32,
  2 ** 53,
  -(2 ** 53),
  2 ** 63,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  // Sent through superjson's meta (JSON has no way to write them).
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
] as const;

/** Dates PostgreSQL cannot read or that sit at the edges of JavaScript's range, as Date objects. */
const HOSTILE_DATES = [
  new Date(8.64e15),
  new Date(-8.64e15),
  new Date("+010000-01-01T00:00:00.000Z"),
  new Date("-000001-01-01T00:00:00.000Z"),
  new Date("0000-01-01T00:00:00.000Z"),
  new Date("1899-12-31T23:59:59.999Z"),
  new Date("9999-12-31T23:59:59.999Z"),
  new Date(0),
  new Date(Number.NaN),
] as const;

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
      // Within the schema's bounds, where fast-check tries their edges (0, 5e-324, 1…): values
      // the validator lets through are the ones that reach the database.
      return fc.double({
        noNaN: true,
        noDefaultInfinity: true,
        ...(node.minimum === undefined ? {} : { min: node.minimum }),
        ...(node.exclusiveMinimum === undefined ? {} : { min: node.exclusiveMinimum, minExcluded: true }),
        ...(node.maximum === undefined ? {} : { max: node.maximum }),
        ...(node.exclusiveMaximum === undefined ? {} : { max: node.exclusiveMaximum, maxExcluded: true }),
      });
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
      // Unrepresentable in JSON schema (dates, coerced or not): dates as Date objects (sent as
      // superjson sends them) or as ISO strings, hostile dates, and anything else.
      return fc.oneof(
        fc.date(),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constantFrom<unknown>(...HOSTILE_DATES),
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

/**
 * A valid input with some of its fields replaced: random ids name nothing, so without a base
 * almost every call stops at NOT_FOUND before the procedure's body, where 500s hide.
 */
function alteredBase(root: JsonSchema, bases: readonly object[]): fc.Arbitrary<unknown> {
  // The fields of the object, or of every alternative of a union ({ userId } | { email }).
  const properties: Record<string, JsonSchema> = {};
  for (const node of [root, ...(root.anyOf ?? root.oneOf ?? [])]) Object.assign(properties, node.properties);
  const overrides: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, child] of Object.entries(properties)) overrides[key] = fromJsonSchema(child);
  const keys = Object.keys(overrides);
  if (keys.length === 0) return fc.constantFrom(...bases);
  // Mostly one field at a time: with every field replaced at once, one of them is nearly always
  // refused by the schema, and the others never reach the body.
  const oneField = fc
    .constantFrom(...keys)
    .chain((key) => (overrides[key] ?? fc.constant(undefined)).map((value) => ({ [key]: value })));
  const someFields = fc.record(overrides, { requiredKeys: [] });
  return fc
    .tuple(
      fc.constantFrom(...bases),
      // Sometimes none: a procedure whose only field is an id would otherwise never get a real one.
      fc.oneof(
        { weight: 3, arbitrary: oneField },
        { weight: 1, arbitrary: someFields },
        { weight: 1, arbitrary: fc.constant({}) },
      ),
    )
    .map(([base, changes]) => ({ ...base, ...changes }));
}

/**
 * Inputs for a procedure: from its (first) zod input schema, or any JSON when it takes none.
 * `bases` are valid inputs (naming existing resources); when given, half the inputs are one of
 * them with some fields replaced by generated values.
 */
export function inputsFor(schemas: z.ZodType[], bases: readonly unknown[] = []): fc.Arbitrary<unknown> {
  const [schema] = schemas;
  if (!schema) return fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }));
  const jsonSchema = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const generated = fc.oneof(
    { weight: 8, arbitrary: plausible(jsonSchema) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
  const objects = bases.filter((base): base is object => typeof base === "object" && base !== null);
  if (objects.length === 0) return generated;
  return fc.oneof(generated, alteredBase(jsonSchema, objects));
}
