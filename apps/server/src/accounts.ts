import { removeDemoCredits } from "@parley/accounting";
import type { AccountSettings } from "@parley/api";
import type { Database } from "@parley/db";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";
import { smtpMailer } from "./mail.ts";

/**
 * Registration and reset-link settings. Unless REGISTRATION says otherwise, a demo is open to
 * anyone (it costs nothing) and a real server is by invitation: nobody spends real money on an
 * account the operator did not mean to create.
 */
export function accountSettings(
  config: Config,
  demo: boolean,
  publicUrl: () => string,
): { settings: AccountSettings; close(): void } {
  const mailer = config.SMTP_URL ? smtpMailer({ url: config.SMTP_URL, from: config.SMTP_FROM }) : null;
  return {
    settings: {
      registration: {
        mode: config.REGISTRATION ?? (demo ? "open" : "invite"),
        emailDomains: config.REGISTRATION_EMAIL_DOMAINS,
      },
      publicUrl,
      mailer,
    },
    close: () => mailer?.close(),
  };
}

/** Outside demo mode, what is left of demo credits is removed (through the ledger), and logged. */
export async function removeDemoCreditsOutsideDemo(
  db: Database,
  demo: boolean,
  logger: Logger,
): Promise<void> {
  if (demo) return;
  const removed = await removeDemoCredits(db.em.fork());
  for (const { userId, credits } of removed) {
    logger.warn({ userId, credits }, "demo credits removed: the server runs outside demo mode");
  }
}
