// DATABASE_URL's parameters reach the connection, as they would with libpq: a Unix socket named by
// `host=`, `sslmode`, `application_name`. MikroORM alone reads only the URL's host, port, user,
// password and database, so these were dropped without a word. Real PostgreSQL.
import { existsSync } from "node:fs";
import { type Database, openDatabase } from "@parley/db";
import { testServerUrl } from "@parley/db/testing";
import { afterEach, describe, expect, it } from "vitest";

const SOCKET_DIR = "/var/run/postgresql";
let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

function urlWith(params: Record<string, string>): string {
  const url = new URL(testServerUrl());
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/** The one row a query returns on a new connection to `url` (kept open until the test ends). */
async function queryOn<Row>(url: string, query: string): Promise<Row> {
  await db?.close();
  db = await openDatabase({ url, poolSize: 1 });
  const [row] = await db.em.fork().getConnection().execute<Row[]>(query);
  if (!row) throw new Error("no row");
  return row;
}

const connectionFacts = (url: string) =>
  queryOn<{ address: string | null; application: string }>(
    url,
    "select inet_server_addr()::text as address, current_setting('application_name') as application",
  );

describe("DATABASE_URL parameters", () => {
  it("keeps a plain URL on TCP", async () => {
    expect((await connectionFacts(testServerUrl())).address).not.toBeNull();
  });

  it("names the connection with application_name", async () => {
    expect((await connectionFacts(urlWith({ application_name: "parley-test" }))).application).toBe(
      "parley-test",
    );
  });

  it.runIf(existsSync(SOCKET_DIR))("connects over the Unix socket that host= names", async () => {
    // A Unix-socket connection has no server address.
    expect((await connectionFacts(urlWith({ host: SOCKET_DIR }))).address).toBeNull();
  });

  it("asks for TLS as sslmode says", async () => {
    const { ssl } = await queryOn<{ ssl: string }>(testServerUrl(), "show ssl");
    if (ssl === "on") {
      // A server with TLS (Debian's default, a self-signed certificate): the connection is encrypted.
      const row = await queryOn<{ ssl: boolean }>(
        urlWith({ sslmode: "no-verify" }),
        "select ssl from pg_stat_ssl where pid = pg_backend_pid()",
      );
      expect(row.ssl).toBe(true);
    } else {
      await expect(connectionFacts(urlWith({ sslmode: "verify-full" }))).rejects.toThrow(
        /does not support SSL/,
      );
    }
    expect((await connectionFacts(urlWith({ sslmode: "disable" }))).address).not.toBeNull();
  });
});
