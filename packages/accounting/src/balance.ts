import type { EntityManager } from "@parley/db";
import { type LockedAccount, lockAccount } from "./locked-account.ts";

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

export const balanceOf = (account: LockedAccount): Balance => ({
  balance: account.balance,
  held: account.held,
  available: account.available,
  nextExpiryAt: account.nextExpiryAt,
});

/**
 * The user's balance. Read under the account lock, because a read is also when due grants expire:
 * the figure shown never includes credits that can no longer be spent.
 */
export function getBalance(em: EntityManager, userId: string): Promise<Balance> {
  return lockAccount(em, userId, async (account) => balanceOf(account));
}

export async function checkCredits(
  em: EntityManager,
  userId: string,
  requiredCredits: number,
): Promise<{ sufficient: boolean; available: number }> {
  const { available } = await getBalance(em, userId);
  return { sufficient: available >= requiredCredits, available };
}
