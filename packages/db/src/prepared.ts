import type { EntityManager } from "@mikro-orm/postgresql";
import { type PgClient, pgPoolOf } from "./pg-pool.ts";

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
  if (!runsOnPooledConnection(em)) {
    return em.execute<Row[]>(statement.text.replace(/\$\d+/g, "?"), values);
  }
  const client = await (await pgPoolOf(em)).connect();
  let broken = false;
  try {
    const result = await client.query({ name: statement.name, text: statement.text, values });
    return result.rows as Row[];
  } catch (error) {
    broken = !reportedByServer(error);
    throw em.getDriver().convertException(error as Error);
  } finally {
    client.release(broken);
  }
}

/** Thrown by queryPreparedTogether when none of its statements took effect (all rolled back). */
export class NothingCommitted extends Error {
  constructor(reason: unknown) {
    super("the statements were rolled back", { cause: reason });
  }
}

/**
 * Runs `calls` one after another in one transaction on one pooled connection, and returns each
 * call's rows once the transaction has committed: one commit (one WAL flush) for all of them.
 * The calls go out together (pipelined), so the transaction — and the account row lock its
 * first call takes — lasts one round trip and the calls' own work, not a round trip per call;
 * `begin` and `commit` each wait for the answer before them (see sendPipelined).
 *
 * Any failure before the commit rolls all of them back and throws NothingCommitted, so the caller
 * may run them again one by one. A failure of the commit itself throws the converted error: when
 * the connection was lost then, whether it committed is unknown, and nothing may be run again.
 * Not for the embedded database nor inside a transaction (see queryPrepared): callers run those
 * calls one by one.
 */
export async function queryPreparedTogether(
  em: EntityManager,
  calls: { statement: PreparedStatement; values: unknown[] }[],
): Promise<unknown[][]> {
  const client = await (await pgPoolOf(em)).connect();
  let broken = false;
  let committing = false;
  try {
    await client.query("begin");
    const results = await sendPipelined(client, calls);
    committing = true;
    await client.query("commit");
    return results;
  } catch (error) {
    // A failed commit the server reported rolled back.
    const reported = reportedByServer(error);
    broken = !reported;
    if (committing && !reported) throw em.getDriver().convertException(error as Error);
    if (!committing && reported) await client.query("rollback").catch(() => (broken = true));
    throw new NothingCommitted(error);
  } finally {
    client.release(broken);
  }
}

/**
 * Sends the calls without waiting for each answer (pg's pipeline mode, on only while they run)
 * and returns their rows in order, or throws the first failure once every answer is in: inside a
 * transaction a failed call aborts it, and those after it fail too.
 *
 * Why `begin` is not sent with them: each pipelined query is its own protocol sync, so were
 * `begin` to fail, the calls would run and commit one by one. Why `commit` waits for them: it is
 * only sent when every call succeeded, so a connection lost before it leaves nothing committed
 * (NothingCommitted), as without pipelining.
 */
async function sendPipelined(
  client: PgClient,
  calls: { statement: PreparedStatement; values: unknown[] }[],
): Promise<unknown[][]> {
  client.pipeline = true;
  try {
    const answers = await Promise.allSettled(
      calls.map(({ statement, values }) =>
        client.query({ name: statement.name, text: statement.text, values }),
      ),
    );
    return answers.map((answer) => {
      if (answer.status === "rejected") throw answer.reason;
      return answer.value.rows;
    });
  } finally {
    // Every answer is in: the connection is idle again, as pg's ordinary mode expects.
    client.pipeline = false;
  }
}

/**
 * Whether `em` runs statements on connections borrowed from the pool: a server database with no
 * transaction open. queryPrepared's named statements and queryPreparedTogether need it.
 */
export function runsOnPooledConnection(em: EntityManager): boolean {
  return !em.getTransactionContext() && !withoutPreparedStatements.has(em.config);
}

/** An error the server reported leaves the connection usable; anything else (a dropped socket) does not. */
function reportedByServer(error: unknown): boolean {
  return error instanceof Error && "severity" in error;
}
