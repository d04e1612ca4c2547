// Property: whatever input arrives, every procedure answers with a typed error or a result, never
// a 500. Inputs come from each procedure's zod schema (tests/support/arbitraries.ts) with hostile
// strings and numbers mixed in; calls go over real HTTP as an admin (who passes every role check,
// so the input reaches the procedure's body). Failing runs print fast-check's seed to replay.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inputsFor } from "../support/arbitraries.ts";
import { callProcedure, listProcedures } from "../support/procedures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { type Population, populate } from "../support/world.ts";

/** Runs per procedure: enough to hit every field with something hostile, bounded for CI time. */
const RUNS = { query: 15, mutation: 15, subscription: 5 } as const;

/** Procedures that end the session they are called with: each run gets a new one. */
const ENDS_SESSION = new Set(["auth.logout", "auth.logoutEverywhere", "auth.changePassword"]);

let server: TestServer;
let population: Population;
beforeAll(async () => {
  server = await startTestServer();
  population = await populate(server);
});
afterAll(() => server?.close());

describe("no input makes any procedure fail with a 500", () => {
  const procedures = listProcedures();
  it.each(procedures.map((p) => [p.path, p] as const))(
    "%s",
    async (_path, procedure) => {
      const admin = population.callers.admin;
      if (!admin) throw new Error("no admin");
      const sharedToken = await population.tokenFor(admin);
      await fc.assert(
        fc.asyncProperty(inputsFor(procedure.inputs), async (input) => {
          const token = ENDS_SESSION.has(procedure.path) ? await population.tokenFor(admin) : sharedToken;
          const result = await callProcedure(server.url, procedure, input, { token });
          expect(result.status, result.body.slice(0, 300)).toBeLessThan(500);
          expect(result.code, result.body.slice(0, 300)).not.toBe("INTERNAL_SERVER_ERROR");
        }),
        { numRuns: RUNS[procedure.type] },
      );
    },
    60_000,
  );
});
