import { type EntityManager, toNullableDate } from "@parley/db";
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

/**
 * The user's balance. Read through the account lock, because that is also when due grants expire:
 * the figure shown never includes credits that can no longer be spent.
 */
export async function getBalance(em: EntityManager, userId: string): Promise<Balance> {
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
