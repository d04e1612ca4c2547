import { metrics } from "@parley/core";
import type { EntityManager } from "@parley/db";
import { callLedger } from "./ledger-functions.ts";
import { releaseExpiredReservations } from "./reservations.ts";

export interface SweepResult {
  reservationsReleased: number;
  accountsExpired: number;
}

/**
 * One pass of housekeeping: releases reservations past their time-to-live and expires due grants
 * of accounts nobody has touched since. Safe to run in several processes at once (see callers).
 */
export async function sweepOnce(root: EntityManager, batch = 100): Promise<SweepResult> {
  const em = root.fork();
  const reservationsReleased = await releaseExpiredReservations(em, batch);
  const due = await em.execute<{ user_id: string }[]>(
    "select user_id from credit_accounts where next_expiry_at <= now() order by next_expiry_at limit ?",
    [batch],
  );
  let accountsExpired = 0;
  for (const { user_id } of due) {
    // Locking runs the expiry; an account busy elsewhere is expired by that transaction instead.
    const [row] = await callLedger<{ user_id: string | null }>(em, "parley_lock_account", [user_id, true]);
    if (row?.user_id) {
      accountsExpired += 1;
      metrics.sweeper.inc({ action: "account_expired" });
    }
  }
  return { reservationsReleased, accountsExpired };
}

export interface SweeperLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Runs `sweepOnce` every `intervalMs` until stopped; a failed pass is logged and retried next time. */
export function startSweeper(
  em: EntityManager,
  options: { intervalMs: number; logger: SweeperLogger },
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(async () => {
      try {
        const result = await sweepOnce(em);
        if (result.reservationsReleased || result.accountsExpired)
          options.logger.info({ ...result }, "accounting sweep");
      } catch (err) {
        options.logger.error({ err }, "accounting sweep failed");
      }
    });
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
