import { grantWelcomeCredits } from "@parley/accounting";
import { adminExists, createAdmin } from "@parley/auth";
import { DomainError } from "@parley/core";
import type { Database } from "@parley/db";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";
import type { WelcomeCredits } from "./welcome.ts";

/**
 * ADMIN_EMAIL / ADMIN_PASSWORD create the first admin at start. An existing account with that
 * email is left alone (someone may have registered it first): promoting it takes
 * `pnpm admin:create --promote`, a deliberate step. The new admin gets the welcome credits every
 * newcomer gets, so they can try the chat at once.
 */
export async function createFirstAdmin(
  db: Database,
  config: Config,
  welcome: WelcomeCredits,
  logger: Logger,
): Promise<void> {
  if (!config.ADMIN_EMAIL || !config.ADMIN_PASSWORD || (await adminExists(db.em.fork()))) return;
  try {
    const em = db.em.fork();
    const { user } = await createAdmin(em, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
    await grantWelcomeCredits(em, { userId: user.id, ...welcome });
    logger.info({ userId: user.id, email: user.email }, "admin created from ADMIN_EMAIL");
  } catch (error) {
    if (!(error instanceof DomainError && error.code === "CONFLICT")) throw error;
    logger.error(
      { email: config.ADMIN_EMAIL },
      "ADMIN_EMAIL belongs to an existing account, which was NOT made an admin; run `npm run admin:create -- --email … --promote` to promote it",
    );
  }
}
