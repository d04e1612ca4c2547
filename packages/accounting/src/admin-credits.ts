import { DomainError } from "@parley/core";
import type { EntityManager, LedgerEntryType } from "@parley/db";
import { type Balance, balanceOf } from "./balance.ts";
import { addGrant, consumeGrants } from "./grants.ts";
import { type LockedAccount, lockAccount } from "./locked-account.ts";

/** Every admin movement names its actor and may carry notes: the ledger is the audit trail. */
export interface AdminMovement {
  actorId: string;
  userId: string;
  notes?: string | undefined;
}

export interface GrantOptions {
  expiryDays?: number | undefined;
}

/** Adds `credits` as a new grant (optionally expiring). */
export function allocateCredits(
  em: EntityManager,
  input: AdminMovement & GrantOptions & { credits: number },
): Promise<Balance> {
  return lockAccount(em, input.userId, async (account) => {
    await credit(account, "allocate", input.credits, input);
    return balanceOf(account);
  });
}

/** Removes `credits` from what is available (credits held by open reservations cannot be removed). */
export function removeCredits(
  em: EntityManager,
  input: AdminMovement & { credits: number },
): Promise<Balance> {
  return lockAccount(em, input.userId, async (account) => {
    await debit(account, "remove", input.credits, input);
    return balanceOf(account);
  });
}

/** A signed correction: positive adds a grant, negative removes from what is available. */
export function adjustCredits(
  em: EntityManager,
  input: AdminMovement & GrantOptions & { adjustment: number },
): Promise<Balance> {
  return lockAccount(em, input.userId, async (account) => {
    if (input.adjustment > 0) await credit(account, "adjust", input.adjustment, input);
    else await debit(account, "adjust", -input.adjustment, input);
    return balanceOf(account);
  });
}

/** Sets the balance to exactly `credits`, adding a grant or removing the difference. */
export function setCredits(
  em: EntityManager,
  input: AdminMovement & GrantOptions & { credits: number },
): Promise<Balance> {
  return lockAccount(em, input.userId, async (account) => {
    const difference = input.credits - account.balance;
    if (difference > 0) await credit(account, "set", difference, input);
    if (difference < 0) {
      if (input.credits < account.held) {
        throw new DomainError(
          "BAD_REQUEST",
          `${account.held} credits are held by running requests; the balance cannot be set below that.`,
          { field: "credits", held: account.held },
        );
      }
      await debit(account, "set", -difference, input);
    }
    return balanceOf(account);
  });
}

async function credit(
  account: LockedAccount,
  type: "allocate" | "adjust" | "set",
  amount: number,
  input: AdminMovement & GrantOptions,
): Promise<void> {
  const grantId = await addGrant(account, {
    amount,
    source: type,
    expiryDays: input.expiryDays,
    notes: input.notes,
    grantedBy: input.actorId,
  });
  account.record({ type, amount, actorId: input.actorId, grantId, notes: input.notes ?? null });
}

async function debit(
  account: LockedAccount,
  type: LedgerEntryType,
  amount: number,
  input: AdminMovement,
): Promise<void> {
  if (amount > account.available) {
    throw new DomainError(
      "BAD_REQUEST",
      `Only ${account.available} credits are available to remove (${account.held} are held by running requests).`,
      { field: "credits", available: account.available },
    );
  }
  await consumeGrants(account, amount);
  account.record({ type, amount: -amount, actorId: input.actorId, notes: input.notes ?? null });
}
