// Throw-away databases for tests: each test file gets its own database on the real PostgreSQL
// server, migrated from scratch, so files run in parallel without seeing each other's rows.
import { randomBytes } from "node:crypto";
import { type Database, migrateToLatest, openDatabase } from "./orm.ts";

/** The server tests use: TEST_DATABASE_URL, defaulting to the local trust-auth PostgreSQL. */
export const testServerUrl = () =>
  process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  url: string;
  name: string;
  /** Drops the database (closing any sessions still connected to it). */
  drop(): Promise<void>;
}

async function withAdminConnection<T>(run: (db: Database) => Promise<T>): Promise<T> {
  const admin = await openDatabase({ url: testServerUrl(), poolSize: 1 });
  try {
    return await run(admin);
  } finally {
    await admin.close();
  }
}

export async function createTestDatabase(prefix = "parley_test"): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await withAdminConnection((admin) => admin.em.getConnection().execute(`create database "${name}"`));
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), poolSize: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.close();
  }
  return {
    url: url.toString(),
    name,
    drop: () =>
      withAdminConnection(async (admin) => {
        await admin.em.getConnection().execute(`drop database if exists "${name}" with (force)`);
      }),
  };
}
