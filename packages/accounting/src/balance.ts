import {
  type EntityManager,
  type PreparedStatement,
  queryPrepared,
  runsOnPooledConnection,
  toNullableDate,
} from "@parley/db";
import DataLoader from "dataloader";
import { callLedger, toNumber } from "./ledger-functions.ts";

export interface Balance {
  /** All unexpired credits. */
  balance: number;
  /** Credits held by open reservations. */
  held: number;
  /** balance − held (never below zero): what can be newly spent or held. */
  available: number;
  /** When the soonest grant expires, if any does. */
  nextExpiryAt: Date | null;
}

/** A `credit_accounts` row as the ledger functions return it. */
export interface AccountRow {
  user_id: string | null;
  balance: string;
  held: string;
  next_expiry_at: Date | string | null;
}

export function toBalance(row: AccountRow | undefined): Balance {
  const balance = toNumber(row?.balance ?? 0);
  const held = toNumber(row?.held ?? 0);
  return {
    balance,
    held,
    available: Math.max(0, balance - held),
    nextExpiryAt: toNullableDate(row?.next_expiry_at),
  };
}

/** An account row and whether a grant of it is due to expire (then the read takes the lock). */
const SELECT_ACCOUNT = `select user_id, balance, held, next_expiry_at, coalesce(next_expiry_at <= now(), false) as due
                          from credit_accounts`;

/** The plain read behind getBalance inside a transaction (or on the embedded database). */
const READ_BALANCE: PreparedStatement = {
  name: "parley_read_balance",
  text: `${SELECT_ACCOUNT} where user_id = $1`,
};

/** The same read for every user whose balance was asked for in one turn of the event loop. */
const READ_BALANCES: PreparedStatement = {
  name: "parley_read_balances",
  text: `${SELECT_ACCOUNT} where user_id = any($1::uuid[])`,
};

type BalanceRow = AccountRow & { due: boolean };

/** Per database (its MikroORM config): the batcher of its pooled balance reads. */
const balanceReaders = new WeakMap<object, DataLoader<string, BalanceRow | undefined>>();

/**
 * Balance reads that arrive together go to PostgreSQL as one statement: under load one round trip
 * serves many requests (a round trip costs the server more CPU than the read itself). They are
 * gathered until the event loop's next turn (setImmediate), so the requests read from the sockets
 * in one poll go together; a lone read waits for no one. Nothing is cached: each read waits for a
 * statement sent after it was asked for.
 */
function balanceReader(em: EntityManager): DataLoader<string, BalanceRow | undefined> {
  let reader = balanceReaders.get(em.config);
  if (!reader) {
    const pooled = em.fork();
    reader = new DataLoader(
      async (userIds: readonly string[]) => {
        const rows = await queryPrepared<BalanceRow>(pooled, READ_BALANCES, [[...new Set(userIds)]]);
        const byUser = new Map(rows.map((row) => [row.user_id, row]));
        return userIds.map((userId) => byUser.get(userId));
      },
      { cache: false, maxBatchSize: 100, batchScheduleFn: (dispatch) => setImmediate(dispatch) },
    );
    balanceReaders.set(em.config, reader);
  }
  return reader;
}

/**
 * The user's balance, read without a lock: a plain read of the account row sees the last committed
 * figures, and readers never queue behind a turn's reserve or settle. Only when a grant is due to
 * expire (or the account has no row yet) does it take the locking path, which expires due grants
 * first, so the figure shown never includes credits that can no longer be spent.
 */
export async function getBalance(em: EntityManager, userId: string): Promise<Balance> {
  const row = runsOnPooledConnection(em)
    ? await balanceReader(em).load(userId)
    : (await queryPrepared<BalanceRow>(em, READ_BALANCE, [userId]))[0];
  if (row && !row.due) return toBalance(row);
  return lockBalance(em, userId);
}

/**
 * The user's balance through the account's row lock (expiring due grants first). Inside a
 * transaction the lock is held until it ends: for a "before" figure that nothing can change.
 */
export async function lockBalance(em: EntityManager, userId: string): Promise<Balance> {
  const [row] = await callLedger<AccountRow>(em, "parley_lock_account", [userId]);
  return toBalance(row);
}

export async function checkCredits(
  em: EntityManager,
  userId: string,
  requiredCredits: number,
): Promise<{ sufficient: boolean; available: number }> {
  const { available } = await getBalance(em, userId);
  return { sufficient: available >= requiredCredits, available };
}
