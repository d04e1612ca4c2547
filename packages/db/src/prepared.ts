import type { EntityManager } from "@mikro-orm/postgresql";
import { pgPoolOf } from "./pg-pool.ts";

// Named prepared statements for the hot calls (the ledger functions): PostgreSQL parses and plans
// each statement once per connection, then every call sends only its parameters. MikroORM's own
// path (em.execute) formats the values into the SQL text and has the server parse it each time.

/** A statement prepared under `name` on each connection that runs it ($1, $2… for the values). */
export interface PreparedStatement {
  name: string;
  text: string;
}

/** Databases opened with `preparedStatements: false` (see openDatabase). */
const withoutPreparedStatements = new WeakSet<object>();

export function disablePreparedStatements(config: object): void {
  withoutPreparedStatements.add(config);
}

/**
 * Runs `statement` with `values` and returns its rows, errors converted as MikroORM converts them
 * (DriverException and its subclasses, with the server's code and detail).
 *
 * Inside a transaction (`em.transactional`) it runs through MikroORM on the transaction's own
 * connection, so it commits or rolls back with everything else there. Outside one it borrows a
 * connection of MikroORM's pool and runs the named statement: one statement, committed on its own.
 * The embedded database serves every connection from one PostgreSQL session, where the same name
 * prepared by two connections would collide; there MikroORM's path is used throughout.
 */
export async function queryPrepared<Row>(
  em: EntityManager,
  statement: PreparedStatement,
  values: unknown[],
): Promise<Row[]> {
  if (em.getTransactionContext() || withoutPreparedStatements.has(em.config)) {
    return em.execute<Row[]>(statement.text.replace(/\$\d+/g, "?"), values);
  }
  const client = await (await pgPoolOf(em)).connect();
  let broken = false;
  try {
    const result = await client.query({ name: statement.name, text: statement.text, values });
    return result.rows as Row[];
  } catch (error) {
    // An error the server reported leaves the connection usable; anything else (a dropped socket) does not.
    broken = !(error instanceof Error && "severity" in error);
    throw em.getDriver().convertException(error as Error);
  } finally {
    client.release(broken);
  }
}
