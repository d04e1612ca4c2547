// Property: whatever input arrives, every procedure answers with a typed error or a result, never
// a 500. Inputs come from each procedure's zod schema (tests/support/arbitraries.ts) with hostile
// strings, numbers and dates mixed in; half of them are the procedure's valid input from the
// authorization matrix (naming a real chat, message, reservation…) with some fields replaced, so
// they get past the lookups into the procedure's body. Calls go over real HTTP as an admin (who
// passes every role check). Failing runs print fast-check's seed and the shrunk input.
//
// Environment (both optional; CI sets neither, so its run time stays as it is):
//   FUZZ_RUNS_FACTOR  a whole number multiplying the runs per procedure (default 1), to hunt
//                     harder locally, e.g. FUZZ_RUNS_FACTOR=20.
//   FUZZ_SEED         fast-check's seed (an integer), to replay a failure: the seed a failing run
//                     printed, with the same FUZZ_RUNS_FACTOR. Unset, each run picks a new seed.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inputsFor } from "../support/arbitraries.ts";
import { callProcedure, listProcedures } from "../support/procedures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { type Population, populate } from "../support/world.ts";
import { AUTHZ_MATRIX } from "./authz-matrix.ts";

/** Runs per procedure: enough to hit every field with something hostile, bounded for CI time. */
const RUNS = { query: 15, mutation: 15, subscription: 5 } as const;

/** A whole-number environment variable, or the fallback when unset; anything else stops the run. */
function integerFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number of at least ${min}, not "${raw}".`);
  }
  return value;
}

const RUNS_FACTOR = integerFromEnv("FUZZ_RUNS_FACTOR", 1, 1);
/** fast-check takes any 32-bit integer as a seed; undefined lets it pick one (and print it on failure). */
const SEED = process.env.FUZZ_SEED?.trim() ? integerFromEnv("FUZZ_SEED", 0, -(2 ** 31)) : undefined;
/** Each procedure gets about this long per run, so a high factor does not trip vitest's timeout. */
const TIMEOUT_MS = 60_000 * RUNS_FACTOR;

/** Procedures that end the session they are called with: each run gets a new one. */
const ENDS_SESSION = new Set(["auth.logout", "auth.logoutEverywhere", "auth.changePassword"]);

const procedures = listProcedures();

let server: TestServer;
let population: Population;
/** Per procedure, the admin's valid inputs (see validInputs). */
const validInputsOf = new Map<string, unknown[]>();
beforeAll(async () => {
  server = await startTestServer();
  // Short answers: the valid inputs below need several answered chats, made one after another.
  population = await populate(server, { shortAnswers: true });
  // All made before any fuzzing: a fuzzed call may change a price, empty a balance or deactivate
  // the other user, after which their chats, answers and reservations could no longer be made.
  for (const procedure of procedures) validInputsOf.set(procedure.path, await validInputs(procedure.path));
});
afterAll(() => server?.close());

/** The admin's valid inputs for a procedure: on their own resource, and on another user's. */
async function validInputs(path: string): Promise<unknown[]> {
  const row = AUTHZ_MATRIX[path];
  const admin = population.callers.admin;
  if (!row?.input || !admin) return [];
  const { world } = population;
  const inputs: unknown[] = [];
  for (const target of row.targets ?? (["own"] as const)) {
    const owner = target === "own" ? admin : world.other;
    inputs.push(await row.input({ world, caller: admin, owner, target }));
  }
  return inputs;
}

/**
 * Puts the model prices back after admin.pricing.update's runs: at a fuzzed price (up to
 * MAX_PRICE_PER_1K) the admin cannot afford an answer, and the chat procedures after it would
 * stop at PAYMENT_REQUIRED instead of reaching the model.
 */
async function keepingPrices(token: string): Promise<() => Promise<void>> {
  const client = server.client(token);
  const prices = await client.admin.pricing.list.query();
  return async () => {
    for (const price of prices) await client.admin.pricing.update.mutate(price);
  };
}

describe("no input makes any procedure fail with a 500", () => {
  it.each(procedures.map((p) => [p.path, p] as const))(
    "%s",
    async (_path, procedure) => {
      const admin = population.callers.admin;
      if (!admin) throw new Error("no admin");
      const sharedToken = await population.tokenFor(admin);
      const restorePrices =
        procedure.path === "admin.pricing.update" ? await keepingPrices(sharedToken) : null;
      try {
        await fc.assert(
          fc.asyncProperty(inputsFor(procedure.inputs, validInputsOf.get(procedure.path)), async (input) => {
            const token = ENDS_SESSION.has(procedure.path) ? await population.tokenFor(admin) : sharedToken;
            const result = await callProcedure(server.url, procedure, input, { token });
            expect(result.status, result.body.slice(0, 300)).toBeLessThan(500);
            expect(result.code, result.body.slice(0, 300)).not.toBe("INTERNAL_SERVER_ERROR");
          }),
          { numRuns: RUNS[procedure.type] * RUNS_FACTOR, ...(SEED === undefined ? {} : { seed: SEED }) },
        );
      } finally {
        await restorePrices?.();
      }
    },
    TIMEOUT_MS,
  );
});
