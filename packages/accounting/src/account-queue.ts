import {
  type EntityManager,
  NothingCommitted,
  type PreparedStatement,
  queryPrepared,
  queryPreparedTogether,
  runsOnPooledConnection,
} from "@parley/db";

// A busy account (one user's many answers at once, a program's parallel reservations) serialises
// on its row lock in PostgreSQL, an expensive queue when many wait in it: each commit wakes the
// next waiter, which re-reads the new row version, the lock manager's partition lock is fought
// over, and on a small machine the holder competes for the CPU with everyone else. So this process
// sends an account's movements to PostgreSQL one transaction at a time, first come first served;
// the rest wait here, holding nothing. And what gathered while one ran goes next in one
// transaction, one commit for all: the WAL flush that a commit waits for is a third or more of a
// movement's time. The row lock stays what keeps the ledger right (other processes, transactions);
// this only keeps the queue out of PostgreSQL. Measured in docs/accounting.md.

/** The most movements sent in one transaction (bounds how long it holds the account's lock). */
const MOST_TOGETHER = 32;

interface Movement {
  em: EntityManager;
  statement: PreparedStatement;
  values: unknown[];
  resolve: (rows: unknown[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Per database (MikroORM's configuration, shared by its forks), per account: the movements
 * waiting while one of the account's runs. An account is here only while that is so.
 */
const queues = new WeakMap<object, Map<string, Movement[]>>();

/**
 * Runs the prepared `statement` (one ledger call on `account`'s row) when this process has no
 * other movement of that account's running, together with those that gathered meanwhile.
 *
 * Never call it inside a transaction: waiting here while holding a connection, or locks a running
 * movement waits for, would be a deadlock PostgreSQL cannot see.
 */
export function queueMovement<Row>(
  em: EntityManager,
  account: string,
  statement: PreparedStatement,
  values: unknown[],
): Promise<Row[]> {
  return new Promise<unknown[]>((resolve, reject) => {
    const movement = { em, statement, values, resolve, reject };
    let accounts = queues.get(em.config);
    if (!accounts) {
      accounts = new Map();
      queues.set(em.config, accounts);
    }
    const waiting = accounts.get(account);
    if (waiting) {
      waiting.push(movement);
      return;
    }
    const queue = [movement];
    accounts.set(account, queue);
    void drain(accounts, account, queue);
  }) as Promise<Row[]>;
}

async function drain(accounts: Map<string, Movement[]>, account: string, queue: Movement[]): Promise<void> {
  try {
    // The first runs alone; those that gathered while it ran go next, together.
    while (queue.length > 0) await runTogether(queue.splice(0, MOST_TOGETHER));
  } finally {
    // No await between the loop's last check and this: a movement queued from now on starts a new
    // drain. Were this loop ever to throw, no movement would be left waiting for it.
    accounts.delete(account);
    for (const movement of queue.splice(0)) movement.reject(new Error("The account's ledger queue stopped."));
  }
}

async function runAlone(movement: Movement): Promise<void> {
  await queryPrepared(movement.em, movement.statement, movement.values).then(
    movement.resolve,
    movement.reject,
  );
}

/** One transaction for all of them; when one fails (a refusal, usually), each runs alone. */
async function runTogether(movements: Movement[]): Promise<void> {
  const [first] = movements;
  if (first && movements.length > 1 && runsOnPooledConnection(first.em)) {
    try {
      const results = await queryPreparedTogether(first.em, movements);
      for (const [i, movement] of movements.entries()) movement.resolve(results[i] ?? []);
      return;
    } catch (error) {
      if (!(error instanceof NothingCommitted)) {
        // The commit's outcome is unknown: running them again could move credits twice.
        for (const movement of movements) movement.reject(error);
        return;
      }
    }
  }
  for (const movement of movements) await runAlone(movement);
}
