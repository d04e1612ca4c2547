import { DomainError } from "@parley/core";
import { type EntityManager, LedgerEntry, type LedgerEntryType } from "@parley/db";
import { expireDueGrants } from "./grants.ts";

/** A ledger entry about to be written; the running totals are filled in by `LockedAccount`. */
export interface EntryInput {
  type: LedgerEntryType;
  /** Signed change to the balance. */
  amount: number;
  /** Signed change to the held credits. */
  heldDelta?: number;
  actorId: string | null;
  grantId?: string | null;
  reservationId?: string | null;
  usageRecordId?: string | null;
  notes?: string | null;
}

export interface WrittenEntry extends EntryInput {
  id: number;
  balanceAfter: number;
  heldAfter: number;
}

interface AccountRow {
  balance: string;
  held: string;
  next_expiry_at: Date | null;
  expiry_due: boolean;
}

/**
 * An account whose row is locked (SELECT … FOR UPDATE) for the rest of the transaction. All
 * movements of one account go through here, so they are serialised by that one row lock, and
 * every change to the totals is made by recording a ledger entry: the ledger cannot drift from
 * the balance.
 */
export class LockedAccount {
  readonly userId: string;
  readonly tx: EntityManager;
  balance: number;
  held: number;
  nextExpiryAt: Date | null;
  readonly expiryDue: boolean;
  #pending: Omit<WrittenEntry, "id">[] = [];
  #changed = false;

  constructor(tx: EntityManager, userId: string, row: AccountRow) {
    this.tx = tx;
    this.userId = userId;
    this.balance = Number(row.balance);
    this.held = Number(row.held);
    this.nextExpiryAt = row.next_expiry_at;
    this.expiryDue = row.expiry_due;
  }

  /** Credits that can be newly held or spent: never negative, even when expiry left held > balance. */
  get available(): number {
    return Math.max(0, this.balance - this.held);
  }

  get hasPendingWrites(): boolean {
    return this.#pending.length > 0 || this.#changed;
  }

  /** Moves the totals and queues the entry that explains the move. */
  record(entry: EntryInput): void {
    const heldDelta = entry.heldDelta ?? 0;
    const balance = this.balance + entry.amount;
    const held = this.held + heldDelta;
    if (!Number.isSafeInteger(balance) || !Number.isSafeInteger(held) || balance < 0 || held < 0) {
      // The callers check before recording; reaching this is a bug, and the transaction rolls back.
      throw new Error(`ledger invariant violated: balance ${balance}, held ${held} after ${entry.type}`);
    }
    this.balance = balance;
    this.held = held;
    this.#pending.push({ ...entry, heldDelta, balanceAfter: balance, heldAfter: held });
  }

  /** For changes to the totals' metadata (the next expiry) that have no ledger entry of their own. */
  markChanged(): void {
    this.#changed = true;
  }

  /** Writes the queued entries and the new totals; returns the entries with their ids, in order. */
  async save(): Promise<WrittenEntry[]> {
    const pending = this.#pending;
    this.#pending = [];
    this.#changed = false;
    const ids =
      pending.length === 0
        ? []
        : await this.tx.insertMany(
            LedgerEntry,
            pending.map((e) => ({
              user: this.userId,
              type: e.type,
              amount: e.amount,
              heldDelta: e.heldDelta ?? 0,
              balanceAfter: e.balanceAfter,
              heldAfter: e.heldAfter,
              actor: e.actorId,
              grantId: e.grantId ?? null,
              reservationId: e.reservationId ?? null,
              usageRecordId: e.usageRecordId ?? null,
              notes: e.notes ?? null,
            })),
          );
    await this.tx.execute(
      "update credit_accounts set balance = ?, held = ?, next_expiry_at = ?, updated_at = now() where user_id = ?",
      [this.balance, this.held, this.nextExpiryAt, this.userId],
    );
    return pending.map((entry, i) => ({ ...entry, id: Number(ids[i]) }));
  }
}

const LOCK_SQL =
  "select balance, held, next_expiry_at, coalesce(next_expiry_at <= now(), false) as expiry_due " +
  "from credit_accounts where user_id = ? for update";

export interface LockOptions {
  /** Give up (return null) instead of waiting when another transaction holds the account. */
  skipLocked?: boolean;
}

/**
 * Runs `work` in a transaction holding the account's row lock, after expiring any due grants. The
 * account row is created on first use. Whatever `work` recorded and did not save itself (it saves
 * when it needs the new entries' ids) is saved before commit; an exception rolls everything back.
 */
export async function withLockedAccount<T>(
  em: EntityManager,
  userId: string,
  work: (account: LockedAccount) => Promise<T>,
  options: LockOptions = {},
): Promise<T | null> {
  return em.fork().transactional(async (tx) => {
    const lockSql = options.skipLocked ? `${LOCK_SQL} skip locked` : LOCK_SQL;
    let [row] = await tx.execute<AccountRow[]>(lockSql, [userId]);
    if (!row && !options.skipLocked) {
      const created = await tx.execute<{ user_id: string }[]>(
        "insert into credit_accounts (user_id) select id from users where id = ? on conflict do nothing returning user_id",
        [userId],
      );
      if (
        created.length === 0 &&
        !(await tx.execute<unknown[]>("select 1 from users where id = ?", [userId])).length
      ) {
        throw new DomainError("NOT_FOUND", "User not found.");
      }
      [row] = await tx.execute<AccountRow[]>(lockSql, [userId]);
    }
    if (!row) return null;
    const account = new LockedAccount(tx, userId, row);
    // Grants past their expiry leave the balance before anything else looks at it.
    if (account.expiryDue) await expireDueGrants(account);
    const result = await work(account);
    if (account.hasPendingWrites) await account.save();
    return result;
  });
}

/** `withLockedAccount` for callers that always wait for the lock (the result is never null). */
export async function lockAccount<T>(
  em: EntityManager,
  userId: string,
  work: (account: LockedAccount) => Promise<T>,
): Promise<T> {
  return (await withLockedAccount(em, userId, work)) as T;
}
