// The authorization matrix (authz-matrix.ts) run over real HTTP: every procedure × every kind of
// caller (signed in with a session, or a program with an API key) × the caller's own resource and
// someone else's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callProcedure, listProcedures } from "../support/procedures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { type Population, populate } from "../support/world.ts";
import {
  AUTHZ_MATRIX,
  expectedKeyOutcome,
  expectedOutcome,
  KEY_CALLERS,
  type KeyCaller,
  ROLES,
  type Target,
} from "./authz-matrix.ts";

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

const keyCells = procedures.flatMap((procedure) => {
  const row = AUTHZ_MATRIX[procedure.path];
  if (!row) return [];
  return (row.targets ?? (["own"] as const)).flatMap((target: Target) =>
    (Object.keys(KEY_CALLERS) as KeyCaller[]).map((caller) => ({
      procedure,
      row,
      target,
      caller,
      expected: expectedKeyOutcome(procedure.path, row, caller, target),
    })),
  );
});

/**
 * One key per kind of key caller (an account may hold 50): no key cell can revoke or expire a key,
 * those procedures being for signed-in sessions only.
 */
const keys = new Map<KeyCaller, Promise<string>>();
function keyOf(keyCaller: KeyCaller): Promise<string> {
  let key = keys.get(keyCaller);
  if (!key) {
    const { role, scopes } = KEY_CALLERS[keyCaller];
    const account = population.callers[role];
    if (!account) throw new Error(`no ${role} account`);
    key = population
      .tokenFor(account)
      .then((token) =>
        server.client(token).auth.apiKeys.create.mutate({ name: keyCaller, scopes: [...scopes] }),
      )
      .then((created) => created.secret);
    keys.set(keyCaller, key);
  }
  return key;
}

describe("authorization matrix, API keys", () => {
  it.each(
    keyCells.map((cell) => [
      `${cell.procedure.path} · ${cell.caller} · ${cell.target} → ${cell.expected}`,
      cell,
    ]),
  )("%s", async (_name, { procedure, row, target, caller: keyCaller, expected }) => {
    const caller = population.callers[KEY_CALLERS[keyCaller].role];
    if (!caller) throw new Error(`no account for ${keyCaller}`);
    const { world } = population;
    const owner = target === "own" ? caller : world.other;
    const input = await row.input?.({ world, caller, owner, target });
    const result = await callProcedure(server.url, procedure, input, { token: await keyOf(keyCaller) });
    expect(result.code ?? "allowed", result.body.slice(0, 500)).toBe(expected);
  });
});
