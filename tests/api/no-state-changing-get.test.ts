// Nothing that spends credits or changes state runs on a GET: a top-level cross-site navigation
// carries the SameSite=Lax session cookie, so a GET must be safe to run for anyone who can link
// to it. Queries and subscriptions are GETs (but sendAndStream, a POST); this file reviews and
// exercises every one of them.
import { SESSION_COOKIE_NAME } from "@parley/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callProcedure, listProcedures, POSTED_SUBSCRIPTIONS } from "../support/procedures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { type Population, populate } from "../support/world.ts";
import { AUTHZ_MATRIX } from "./authz-matrix.ts";

/**
 * Every query and subscription, reviewed as read-only (code read: the procedure and what it calls
 * only select). A new query or subscription fails the first test until someone reviews it here.
 */
const REVIEWED_READ_ONLY = new Set([
  "auth.registrationMode",
  "auth.ssoProviders",
  "auth.session",
  "auth.me",
  "auth.apiKeys.list",
  "accounting.balance",
  "accounting.check",
  "accounting.calculate",
  "accounting.history",
  "accounting.groupedHistory",
  "accounting.grants",
  "accounting.models",
  "accounting.streaming.active",
  "accounting.usage.stats",
  "admin.users.list",
  "admin.credits.balanceOf",
  "admin.credits.historyOf",
  "admin.credits.grantsOf",
  "admin.usage.statsOf",
  "admin.usage.systemStats",
  "admin.streaming.active",
  "admin.streaming.recent",
  "admin.pricing.list",
  "admin.invitations.list",
  "admin.audit.list",
  "sessions.list",
  "sessions.get",
  "sessions.config",
  "sessions.active",
  "sessions.search",
  "sessions.export",
  "sessions.shared",
  "feedback.forSession",
  "admin.feedback.list",
  "presets.list",
  // Follows a turn's events; the turn was started by the sessions.send or direct mutation.
  "sessions.stream",
]);

const reads = listProcedures().filter((p) => p.type !== "mutation" && !POSTED_SUBSCRIPTIONS.has(p.path));

let server: TestServer;
let population: Population;
beforeAll(async () => {
  server = await startTestServer();
  population = await populate(server);
});
afterAll(() => server?.close());

/** A fingerprint of every table: row count and a hash of all rows. */
async function databaseState(): Promise<Record<string, string>> {
  const connection = server.db.em.fork().getConnection();
  const tables = await connection.execute<{ table_name: string }[]>(
    "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
  );
  const state: Record<string, string> = {};
  for (const { table_name: table } of tables) {
    const [row] = await connection.execute<{ rows: string; hash: string | null }[]>(
      `select count(*)::text as rows, md5(string_agg(t::text, '|' order by t::text)) as hash from "${table}" t`,
    );
    state[table] = `${row?.rows}:${row?.hash ?? ""}`;
  }
  return state;
}

describe("no state-changing GET", () => {
  it("every query and subscription has been reviewed as read-only", () => {
    const unreviewed = reads.map((p) => p.path).filter((path) => !REVIEWED_READ_ONLY.has(path));
    expect(unreviewed).toEqual([]);
  });

  it("a cross-site top-level GET of every reviewed query and subscription changes nothing", async () => {
    const { world, callers } = population;
    const admin = callers.admin;
    if (!admin) throw new Error("no admin");
    // Inputs first: building them (reservations, chat sessions) is allowed to write.
    const calls = await Promise.all(
      reads
        .filter((p) => REVIEWED_READ_ONLY.has(p.path))
        .map(async (procedure) => ({
          procedure,
          input: await AUTHZ_MATRIX[procedure.path]?.input?.({
            world,
            caller: admin,
            owner: admin,
            target: "own",
          }),
        })),
    );
    const cookie = `${SESSION_COOKIE_NAME}=${await population.tokenFor(admin)}`;
    // What a browser sends when a page on another site navigates to the URL.
    const navigation = {
      cookie,
      "sec-fetch-site": "cross-site",
      "sec-fetch-mode": "navigate",
      "sec-fetch-dest": "document",
    };

    // Mutations (and sessions.sendAndStream) linked to by GET (as a navigation would) must not
    // run either.
    const mutations = await Promise.all(
      listProcedures()
        .filter((p) => p.type === "mutation" || POSTED_SUBSCRIPTIONS.has(p.path))
        .map(async (procedure) => ({
          procedure,
          input: await AUTHZ_MATRIX[procedure.path]?.input?.({
            world,
            caller: admin,
            owner: admin,
            target: "own",
          }),
        })),
    );

    const before = await databaseState();
    for (const { procedure, input } of calls) {
      const result = await callProcedure(server.url, procedure, input, { headers: navigation });
      expect(result.code, `${procedure.path}: ${result.body.slice(0, 300)}`).toBeNull();
    }
    for (const { procedure, input } of mutations) {
      const query =
        input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
      const response = await fetch(`${server.url}/trpc/${procedure.path}${query}`, { headers: navigation });
      expect(response.status, procedure.path).toBe(405);
      await response.body?.cancel();
    }
    expect(await databaseState()).toEqual(before);

    // The fingerprint does see a write (so the check above is not vacuous).
    const write = await callProcedure(
      server.url,
      { path: "auth.updateProfile", type: "mutation" },
      { displayName: "Changed by a POST" },
      { token: await population.tokenFor(admin) },
    );
    expect(write.code).toBeNull();
    expect((await databaseState()).users).not.toEqual(before.users);
  });
});
