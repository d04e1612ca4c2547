// `pnpm admin:create --email you@example.com [--username name] [--password …] [--promote]`
// Creates an admin. An existing account with that email is refused unless --promote is given; then
// it becomes an admin with the given password (its sessions end). The password comes from
// --password, else ADMIN_PASSWORD, else a prompt. Uses DATABASE_URL, or the embedded database
// (through the running server when there is one). A new admin gets the welcome credits every
// newcomer gets (SIGNUP_CREDITS, or a demo's allowance); a promoted account already had them.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { grantWelcomeCredits } from "@parley/accounting";
import { createAdmin } from "@parley/auth";
import { openDatabase } from "@parley/db";
import { ConfigError, loadConfig } from "../config.ts";
import { connectDatabase, runningEmbeddedDatabaseUrl } from "../database.ts";
import { createLogger } from "../logger.ts";
import { isDemoMode, welcomeCredits } from "../welcome.ts";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    username: { type: "string" },
    password: { type: "string" },
    promote: { type: "boolean", default: false },
  },
});

const config = (() => {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(78);
  }
})();
const email = values.email ?? config.ADMIN_EMAIL;
if (!email) {
  console.error(
    "Usage: pnpm admin:create --email you@example.com [--username name] [--password …] [--promote]",
  );
  process.exit(64);
}
const password = values.password ?? config.ADMIN_PASSWORD ?? (await prompt("Password for the admin: "));

const logger = createLogger("warn");
const runningUrl = config.DATABASE_URL ? null : await runningEmbeddedDatabaseUrl(config);
const database = runningUrl
  ? await openDatabase({ url: runningUrl, poolSize: 1, preparedStatements: false }).then((db) => ({
      db,
      close: () => db.close(),
    }))
  : await connectDatabase(config, logger);

try {
  const em = database.db.em.fork();
  const { user, created } = await createAdmin(em, {
    email,
    password,
    username: values.username,
    promote: values.promote,
  });
  if (created) {
    await grantWelcomeCredits(em, { userId: user.id, ...welcomeCredits(config, await isDemoMode(config)) });
  }
  console.log(
    created
      ? `Admin created: ${user.email} (username ${user.username}).`
      : `${user.email} is now an admin, with the given password (its sessions were ended).`,
  );
} catch (error) {
  console.error(`Could not create the admin: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}

async function prompt(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}
