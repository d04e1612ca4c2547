import pLimit, { type LimitFunction } from "p-limit";

// A busy account (one user's many answers at once, a program's parallel reservations) serialises
// on its row lock in PostgreSQL, an expensive queue when many wait in it: each commit wakes the
// next waiter, which re-reads the new row version, the lock manager's partition lock is fought
// over, and on a small machine the holder competes for the CPU with everyone else. So this process
// sends an account's movements to PostgreSQL one at a time, first come first served; the rest wait
// here, holding nothing. bench:ledger's hot account at concurrency 16: 327–455 pairs/s with every
// call sent at once (p99 121–158 ms), 534–545 queued (p99 59–60 ms), the same machine and sitting
// (docs/accounting.md). The row lock stays what keeps the ledger right (other processes,
// transactions); this only keeps the queue out of PostgreSQL.

/** One: two in flight (the next one ready to take the lock) measured no better. */
const MOVEMENTS_IN_FLIGHT = 1;

interface AccountQueue {
  limit: LimitFunction;
  /** Calls running or waiting: the queue is dropped when the last ends. */
  calls: number;
}

const queues = new Map<string, AccountQueue>();

/**
 * Runs `movement` (one ledger call on `account`'s row, on a connection it borrows itself) when
 * fewer than MOVEMENTS_IN_FLIGHT of that account's are running in this process.
 *
 * Never call it inside a transaction: waiting here while holding a connection, or locks a running
 * movement waits for, would be a deadlock PostgreSQL cannot see.
 */
export async function inAccountQueue<T>(account: string, movement: () => Promise<T>): Promise<T> {
  let queue = queues.get(account);
  if (!queue) {
    queue = { limit: pLimit(MOVEMENTS_IN_FLIGHT), calls: 0 };
    queues.set(account, queue);
  }
  queue.calls += 1;
  try {
    return await queue.limit(movement);
  } finally {
    queue.calls -= 1;
    if (queue.calls === 0) queues.delete(account);
  }
}

/** Accounts with movements running or waiting in this process (for tests: the map empties). */
export function accountQueueSize(): number {
  return queues.size;
}
