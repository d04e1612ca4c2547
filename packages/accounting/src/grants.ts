import type { GrantSource } from "@parley/db";
import { CreditGrant } from "@parley/db";
import type { LockedAccount } from "./locked-account.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Creates a grant of `amount` credits on a locked account; the caller records the ledger entry. */
export async function addGrant(
  account: LockedAccount,
  grant: {
    amount: number;
    source: GrantSource;
    expiryDays?: number | undefined;
    notes?: string | null | undefined;
    grantedBy: string | null;
  },
): Promise<string> {
  const id = crypto.randomUUID();
  const expiresAt = grant.expiryDays ? new Date(Date.now() + grant.expiryDays * DAY_MS) : null;
  await account.tx.insert(CreditGrant, {
    id,
    user: account.userId,
    amount: grant.amount,
    remaining: grant.amount,
    expiresAt,
    source: grant.source,
    notes: grant.notes ?? null,
    grantedBy: grant.grantedBy,
  });
  if (expiresAt && (!account.nextExpiryAt || expiresAt < account.nextExpiryAt)) {
    account.nextExpiryAt = expiresAt;
    account.markChanged();
  }
  return id;
}

/**
 * Takes `amount` credits out of the account's unexpired grants, the soonest-expiring first (grants
 * without expiry last, then oldest first). One statement: a running total over the ordered grants
 * decides how much each gives. The caller has checked that the balance covers `amount`.
 */
export async function consumeGrants(account: LockedAccount, amount: number): Promise<void> {
  if (amount <= 0) return;
  await account.tx.execute(
    `update credit_grants g
        set remaining = g.remaining - least(g.remaining, ? - o.before)
       from (select id,
                    coalesce(sum(remaining) over (order by expires_at asc nulls last, created_at, id
                                                  rows between unbounded preceding and 1 preceding), 0) as before
               from credit_grants
              where user_id = ? and not expired and remaining > 0) o
      where g.id = o.id and o.before < ?`,
    [amount, account.userId, amount],
  );
}

/**
 * Expires every grant of the account whose expiry has passed: its remainder leaves the balance
 * through an `expire` entry (actor: the system). Then finds the next expiry.
 */
export async function expireDueGrants(account: LockedAccount): Promise<void> {
  const expired = await account.tx.execute<{ id: string; remaining: string }[]>(
    `update credit_grants g set expired = true, remaining = 0
       from (select id, remaining from credit_grants
              where user_id = ? and not expired and expires_at <= now()) old
      where g.id = old.id
      returning g.id, old.remaining`,
    [account.userId],
  );
  for (const grant of expired) {
    const remaining = Number(grant.remaining);
    if (remaining > 0) {
      account.record({
        type: "expire",
        amount: -remaining,
        actorId: null,
        grantId: grant.id,
        notes: "grant expired",
      });
    }
  }
  const [next] = await account.tx.execute<{ next: Date | null }[]>(
    "select min(expires_at) as next from credit_grants where user_id = ? and not expired",
    [account.userId],
  );
  account.nextExpiryAt = next?.next ?? null;
  account.markChanged();
}
