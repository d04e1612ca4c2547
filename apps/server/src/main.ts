// Entry point: `node apps/server/src/main.ts` (what `npm start` runs after building). One process,
// or with PARLEY_WORKERS > 1 a primary that forks that many workers sharing the port.
import cluster from "node:cluster";
import { workerCount } from "./cluster/messages.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";

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

const workers = workerCount(config);
// Each role loads only its own code (imported after the configuration is known to be good): the
// primary never loads the HTTP app, and a bad variable is reported at once.
if (cluster.isWorker) {
  const { runWorker } = await import("./cluster/worker.ts");
  const logger = createLogger(config.LOG_LEVEL, { worker: cluster.worker?.id ?? 0, pid: process.pid });
  await runWorker(config, logger);
} else if (workers > 1) {
  const { runPrimary } = await import("./cluster/primary.ts");
  await runPrimary(config, createLogger(config.LOG_LEVEL, { role: "primary", pid: process.pid }), workers);
} else {
  await runSingle();
}

async function runSingle(): Promise<void> {
  const { startServer } = await import("./server.ts");
  const { printBanner } = await import("./banner.ts");
  const logger = createLogger(config.LOG_LEVEL);
  const server = await startServer(config, logger).catch((error: unknown) => {
    logger.fatal({ err: error }, "start-up failed");
    process.exit(1);
  });
  printBanner({
    url: server.url,
    databaseDescription: server.databaseDescription,
    demo: server.demo,
    adminExists: server.adminExists,
    workers: 1,
    workersDefaulted: config.PARLEY_WORKERS === undefined,
  });
  releaseStartUpGarbage();
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
}

/**
 * One full, compacting collection once the server is up, when Node runs with `--expose-gc` (as
 * `npm start` does on the embedded database). Start-up (loading modules, migrating, the embedded
 * database's restart) leaves the heap ~40 MiB larger than what it keeps alive, and an idle server
 * allocates too little for V8 to ever shrink it on its own. A few ms, once.
 */
function releaseStartUpGarbage(): void {
  globalThis.gc?.({ type: "major", execution: "sync", flavor: "last-resort" });
}
