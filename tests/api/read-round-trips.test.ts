// SQL round trips per authenticated read, counted on the wire: the server reaches PostgreSQL
// through a proxy that counts every Query and every Sync it sends (tests/support/pg-counter.ts).
// Each figure is the floor of the average over 20 calls, so a background statement of the server
// (a sweep landing in the window) cannot turn 0 into 1.
import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PgRoundTripCounter, startPgRoundTripCounter } from "../support/pg-counter.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

const CALLS = 20;
let database: TestDatabase;
const counters: PgRoundTripCounter[] = [];
const servers: TestServer[] = [];

async function serverCounting(env: Record<string, string>) {
  const counter = await startPgRoundTripCounter(database.url);
  counters.push(counter);
  const server = await startTestServer({
    env: { DATABASE_URL: counter.url, ACCOUNTING_SWEEP_INTERVAL_SECONDS: "3600", ...env },
  });
  servers.push(server);
  return { server, counter };
}

async function roundTripsPerCall(counter: PgRoundTripCounter, call: () => Promise<unknown>) {
  await call(); // fills the cache; creates the account row on a first balance read
  const before = counter.count();
  for (let i = 0; i < CALLS; i++) await call();
  return Math.floor((counter.count() - before) / CALLS);
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  for (const server of servers) await server.close();
  for (const counter of counters) await counter.close();
  await database?.drop();
});

describe("SQL round trips per authenticated read", () => {
  it("with the session cache: auth.me takes none, accounting.balance one (by session and by API key)", async () => {
    const { server, counter } = await serverCounting({});
    const account = await signUp(server);
    const admin = await signUpAs(server, "admin");
    await admin.client.admin.credits.allocate.mutate({ userId: account.user.id, credits: 500 });
    const { secret } = await account.client.auth.apiKeys.create.mutate({ name: "k", scopes: ["accounting"] });
    const byKey = server.client(secret);

    expect(await roundTripsPerCall(counter, () => account.client.auth.me.query())).toBe(0);
    expect(await roundTripsPerCall(counter, () => account.client.accounting.balance.query())).toBe(1);
    expect(await roundTripsPerCall(counter, () => byKey.accounting.balance.query())).toBe(1);
    expect(await account.client.accounting.balance.query()).toMatchObject({ balance: 500, available: 500 });
  });

  it("without it (AUTH_CACHE_TTL_MS=0): one round trip for who is calling, and no re-read in auth.me", async () => {
    const { server, counter } = await serverCounting({ AUTH_CACHE_TTL_MS: "0" });
    const account = await signUp(server);
    expect(await roundTripsPerCall(counter, () => account.client.auth.me.query())).toBe(1);
    expect(await roundTripsPerCall(counter, () => account.client.accounting.balance.query())).toBe(2);
  });

  it("a balance read takes no row lock: it answers while another transaction holds the account", async () => {
    const { server } = await serverCounting({});
    const account = await signUp(server);
    await account.client.accounting.balance.query();
    await server.db.em.fork().transactional(async (tx) => {
      await tx.execute("select * from credit_accounts where user_id = ? for update", [account.user.id]);
      await expect(account.client.accounting.balance.query()).resolves.toMatchObject({ balance: 0 });
    });
  });
});
