// The authorization matrix (authz-matrix.ts) run over real HTTP: every procedure × every kind of
// caller × the caller's own resource and someone else's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callProcedure, listProcedures } from "../support/procedures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { type Population, populate } from "../support/world.ts";
import { AUTHZ_MATRIX, expectedOutcome, ROLES, type Target } from "./authz-matrix.ts";

let server: TestServer;
let population: Population;
beforeAll(async () => {
  server = await startTestServer();
  population = await populate(server);
});
afterAll(() => server?.close());

const procedures = listProcedures();

describe("the matrix covers the router", () => {
  it("has a row for every procedure, and none for a procedure that is gone", () => {
    const paths = procedures.map((p) => p.path);
    expect(
      paths.filter((path) => !(path in AUTHZ_MATRIX)),
      "procedures without a row",
    ).toEqual([]);
    expect(
      Object.keys(AUTHZ_MATRIX).filter((path) => !paths.includes(path)),
      "rows without a procedure",
    ).toEqual([]);
  });
});

const cells = procedures.flatMap((procedure) => {
  const row = AUTHZ_MATRIX[procedure.path];
  if (!row) return [];
  return (row.targets ?? (["own"] as const)).flatMap((target: Target) =>
    ROLES.map((role) => ({ procedure, row, target, role, expected: expectedOutcome(row, role, target) })),
  );
});

describe("authorization matrix", () => {
  it.each(
    cells.map((cell) => [`${cell.procedure.path} · ${cell.role} · ${cell.target} → ${cell.expected}`, cell]),
  )("%s", async (_name, { procedure, row, target, role, expected }) => {
    const caller = population.callers[role];
    const { world } = population;
    const owner = target === "own" && caller && role !== "deactivated" ? caller : world.other;
    const input = await row.input?.({ world, caller, owner, target });
    const token = caller ? await population.tokenFor(caller) : null;
    const result = await callProcedure(server.url, procedure, input, { token });
    expect(result.code ?? "allowed", result.body.slice(0, 500)).toBe(expected);
  });
});
