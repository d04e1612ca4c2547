import type { EntityManager } from "@parley/db";
import { allocateCredits } from "./admin-credits.ts";
import { type AccountRow, type Balance, toBalance } from "./balance.ts";
import { callLedger, toNumber } from "./ledger-functions.ts";

/** Demo credits are for trying Parley out: they expire, and go when demo mode does. */
export const DEMO_CREDIT_DAYS = 30;
export const DEMO_CREDIT_NOTES = "demo credits";

/**
 * Credits every new account gets from the system. In demo mode they are a demo grant (expiring
 * after DEMO_CREDIT_DAYS, removed by removeDemoCredits once the server runs for real).
 */
export async function grantWelcomeCredits(
  em: EntityManager,
  input: { userId: string; credits: number; demo: boolean },
): Promise<Balance | null> {
  if (input.credits <= 0) return null;
  if (!input.demo) {
    return allocateCredits(em, {
      actor: null,
      userId: input.userId,
      credits: input.credits,
      notes: "welcome credits",
    });
  }
  const [row] = await callLedger<AccountRow>(em, "parley_grant_demo", [
    input.userId,
    input.credits,
    DEMO_CREDIT_DAYS,
    DEMO_CREDIT_NOTES,
  ]);
  return toBalance(row);
}

/**
 * Removes what is left of every demo grant (each account's under its lock, through an `expire`
 * ledger entry by the system). Run at start outside demo mode, so credits handed out by a demo
 * never buy real model calls. Returns what was removed from whom.
 */
export async function removeDemoCredits(em: EntityManager): Promise<{ userId: string; credits: number }[]> {
  const holders = await em.execute<{ user_id: string }[]>(
    "select distinct user_id from credit_grants where source = 'demo' and not expired",
  );
  const removed: { userId: string; credits: number }[] = [];
  for (const { user_id: userId } of holders) {
    const [row] = await callLedger<{ parley_expire_demo_grants: string }>(em, "parley_expire_demo_grants", [
      userId,
      "demo credits removed: the server runs outside demo mode",
    ]);
    removed.push({ userId, credits: toNumber(row?.parley_expire_demo_grants ?? 0) });
  }
  return removed;
}
