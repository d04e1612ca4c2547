// Entry point: `node apps/server/src/main.ts` (what `npm start` runs after building).
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { startServer } from "./server.ts";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  throw error;
}

const logger = createLogger(config.LOG_LEVEL);
const server = await startServer(config, logger).catch((error: unknown) => {
  logger.fatal({ err: error }, "start-up failed");
  process.exit(1);
});

// Human-readable banner on stderr; stdout stays pure JSON logs.
const lines = ["", `  Parley is running: ${server.url}`, `  Database: ${server.databaseDescription}`];
if (server.demo) {
  lines.push(
    "  DEMO MODE: no AWS credentials found, so answers come from the built-in fake Bedrock server",
    "  and new accounts get demo credits. Configure AWS credentials (or DEMO_MODE=false) for real models.",
  );
}
if (!server.adminExists) {
  lines.push(
    "  No admin yet. Create one with:",
    "    npm run admin:create -- --email you@example.com",
    "  (or set ADMIN_EMAIL and ADMIN_PASSWORD before starting).",
  );
}
console.error(`${lines.join("\n")}\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    logger.info({ signal }, "shutting down");
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
