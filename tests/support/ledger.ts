import type { Database } from "@parley/db";
import { expect } from "vitest";

/**
 * The accounting invariants, checked against the database itself:
 * - the ledger's amounts sum to the balance and its held deltas to the held credits;
 * - every entry's running totals are the sums up to it, and none is negative;
 * - the balance is the sum of unexpired grants' remainders;
 * - the held credits are the sum of open reservations' holds;
 * - every settled reservation, its usage record and its entries tell the same story.
 */
export async function expectLedgerConsistent(db: Database, userId: string): Promise<void> {
  const connection = db.em.fork().getConnection();
  const [account] = await connection.execute<{ balance: string; held: string }[]>(
    "select balance, held from credit_accounts where user_id = ?",
    [userId],
  );
  const entries = await connection.execute<
    { amount: string; held_delta: string; balance_after: string; held_after: string }[]
  >(
    "select amount, held_delta, balance_after, held_after from ledger_entries where user_id = ? order by id",
    [userId],
  );
  let balance = 0;
  let held = 0;
  for (const entry of entries) {
    balance += Number(entry.amount);
    held += Number(entry.held_delta);
    expect(Number(entry.balance_after)).toBe(balance);
    expect(Number(entry.held_after)).toBe(held);
    expect(balance).toBeGreaterThanOrEqual(0);
    expect(held).toBeGreaterThanOrEqual(0);
  }
  expect(Number(account?.balance ?? 0)).toBe(balance);
  expect(Number(account?.held ?? 0)).toBe(held);

  const [grants] = await connection.execute<{ sum: string | null }[]>(
    "select sum(remaining) as sum from credit_grants where user_id = ? and not expired",
    [userId],
  );
  expect(Number(grants?.sum ?? 0)).toBe(balance);
  const [holds] = await connection.execute<{ sum: string | null }[]>(
    "select sum(held) as sum from reservations where user_id = ? and status = 'open'",
    [userId],
  );
  expect(Number(holds?.sum ?? 0)).toBe(held);
  await expectSettlementsConsistent(db, userId);
}

/**
 * Each settled reservation of the user: its usage record charges what it captured with the same
 * shortfall and points at its first entry; its capture entries take exactly what it captured; its
 * balance after is the one its entries recorded (parley_settle writes these rows in several
 * statements, some before the account's lock and some under it).
 */
async function expectSettlementsConsistent(db: Database, userId: string): Promise<void> {
  const rows = await db.em
    .fork()
    .getConnection()
    .execute<
      {
        cost: string;
        captured: string;
        shortfall: string;
        balance_after: string;
        credits: string | null;
        usage_shortfall: string | null;
        ledger_entry_id: string | null;
        first_entry: string | null;
        first_balance_after: string | null;
        charged: string;
      }[]
    >(
      `select r.cost, r.captured, r.shortfall, r.balance_after, u.credits, u.shortfall as usage_shortfall,
            u.ledger_entry_id, f.id as first_entry, f.balance_after as first_balance_after,
            (select coalesce(-sum(amount), 0) from ledger_entries
              where reservation_id = r.id and type = 'capture') as charged
       from reservations r
       left join usage_records u on u.id = r.usage_record_id
       left join lateral (select id, balance_after from ledger_entries
                           where reservation_id = r.id and type in ('capture', 'release')
                           order by id limit 1) f on true
      where r.user_id = ? and r.status <> 'open'`,
      [userId],
    );
  for (const row of rows) {
    expect(row.credits).not.toBeNull();
    expect(Number(row.credits)).toBe(Number(row.captured));
    expect(Number(row.usage_shortfall)).toBe(Number(row.shortfall));
    expect(Number(row.captured) + Number(row.shortfall)).toBe(Number(row.cost));
    expect(Number(row.charged)).toBe(Number(row.captured));
    expect(row.ledger_entry_id).toBe(row.first_entry);
    if (row.first_entry !== null) expect(Number(row.balance_after)).toBe(Number(row.first_balance_after));
  }
}

/** Moves a grant's expiry into the past, as if time had passed (the account notices on next use). */
export async function expireGrantNow(db: Database, grantId: string): Promise<void> {
  const connection = db.em.fork().getConnection();
  await connection.execute("update credit_grants set expires_at = now() - interval '1 second' where id = ?", [
    grantId,
  ]);
  await connection.execute(
    "update credit_accounts set next_expiry_at = now() - interval '1 second' where user_id = (select user_id from credit_grants where id = ?)",
    [grantId],
  );
}
