// Every string field of every procedure, found from its zod schema, refuses a NUL character and
// an unpaired surrogate with BAD_REQUEST (safeString in packages/api/src/schemas.ts). A new
// procedure or field is covered without touching this file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { callProcedure, listProcedures, type ProcedureInfo } from "../support/procedures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { type Population, populate } from "../support/world.ts";
import { AUTHZ_MATRIX } from "./authz-matrix.ts";

interface Node {
  type?: string | string[];
  properties?: Record<string, Node>;
  anyOf?: Node[];
  enum?: unknown[];
}

const isString = (node: Node): boolean =>
  !node.enum && (node.type === "string" || (node.anyOf ?? []).some((alternative) => isString(alternative)));

/** Top-level string fields of the input (of each alternative of a union: `alone` then). */
function stringFields(procedure: ProcedureInfo): { field: string; alone: boolean }[] {
  const [schema] = procedure.inputs;
  if (!schema) return [];
  const root = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Node;
  const alone = Boolean(root.anyOf);
  const fields = [root, ...(root.anyOf ?? [])].flatMap((node) =>
    Object.entries(node.properties ?? {})
      .filter(([, child]) => isString(child))
      .map(([name]) => name),
  );
  return [...new Set(fields)].map((field) => ({ field, alone }));
}

const cases = listProcedures().flatMap((procedure) =>
  stringFields(procedure).map(({ field, alone }) => ({
    procedure,
    field,
    alone,
    key: `${procedure.path}.${field}`,
  })),
);

let server: TestServer;
let population: Population;
beforeAll(async () => {
  server = await startTestServer();
  population = await populate(server);
});
afterAll(() => server?.close());

describe.each([
  ["a NUL character", "a\u0000b"],
  ["an unpaired surrogate", "a\ud800b"],
])("%s in any string field is BAD_REQUEST", (_name, bad) => {
  it("finds the string fields", () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  it.each(cases.map((c) => [c.key, c] as const))("%s", async (_key, { procedure, field, alone }) => {
    const admin = population.callers.admin;
    if (!admin) throw new Error("no admin");
    const { world } = population;
    const base = await AUTHZ_MATRIX[procedure.path]?.input?.({
      world,
      caller: admin,
      owner: admin,
      target: "own",
    });
    // In a union ({ userId } | { email }) the field goes alone, or another branch would match.
    const rest = !alone && typeof base === "object" && base !== null ? base : {};
    const input = { ...rest, [field]: bad };
    const result = await callProcedure(server.url, procedure, input, {
      token: await population.tokenFor(admin),
    });
    expect(result.code, result.body.slice(0, 300)).toBe("BAD_REQUEST");
  });
});
