// The primary of a PARLEY_WORKERS > 1 server: does the once-per-start work (migrations, the
// first admin, prices), then forks the workers that serve the port and
// watches over them. It serves no requests itself, except METRICS_PORT.
import { resolveModels } from "@parley/agent";
import { adminExists } from "@parley/auth";
import { Redis } from "ioredis";
import { AggregatorRegistry } from "prom-client";
import { printBanner } from "../banner.ts";
import type { Config } from "../config.ts";
import { type ConnectedDatabase, connectDatabase } from "../database.ts";
import { startMetricsServer } from "../http/metrics.ts";
import type { Logger } from "../logger.ts";
import { prepareData } from "../start-up.ts";
import { isDemoMode } from "../welcome.ts";
import { Supervisor } from "./supervisor.ts";

/** Connections the primary keeps for itself (it only prepared data; workers do the work). */
const PRIMARY_POOL_SIZE = 2;

export async function runPrimary(config: Config, logger: Logger, count: number): Promise<never> {
  let prepared: Awaited<ReturnType<typeof prepareOnce>>;
  try {
    prepared = await prepareOnce(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, "start-up failed");
    process.exit(1);
  }
  const { database, demo } = prepared;
  const aggregator = new AggregatorRegistry();
  // Every worker's registry aggregated (counters summed, so the figures are the whole server's),
  // then the supervisor's own.
  const wholeServerMetrics = async () =>
    `${await aggregator.clusterMetrics()}\n${await supervisor.registry.metrics()}`;
  const supervisor = new Supervisor({
    count,
    // The workers use the primary's demo decision (no credential probe per worker).
    env: { DEMO_MODE: demo ? "true" : "false" },
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    onReady: (url) =>
      printBanner({
        url,
        databaseDescription: database.description,
        demo,
        adminExists: prepared.adminExists,
        workers: count,
        workersDefaulted: config.PARLEY_WORKERS === undefined,
      }),
    metrics: wholeServerMetrics,
  });
  const metricsServer = config.METRICS_PORT
    ? await startMetricsServer(config.METRICS_PORT, config.HOST, wholeServerMetrics).catch(
        async (error: unknown) => {
          logger.fatal({ err: error, port: config.METRICS_PORT }, "METRICS_PORT: cannot listen");
          await database.close();
          process.exit(1);
        },
      )
    : null;

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      logger.info({ signal }, "shutting down: draining the workers");
      supervisor.stop(0);
    });
  }
  supervisor.start();
  logger.info({ workers: count }, "workers starting");
  const code = await supervisor.finished;
  await metricsServer?.close();
  await database.close();
  logger.info({ code }, "parley stopped");
  process.exit(code);
}

async function prepareOnce(config: Config, logger: Logger) {
  if (config.REDIS_URL) await checkRedis(config.REDIS_URL);
  const database: ConnectedDatabase = await connectDatabase(
    { ...config, DATABASE_POOL_SIZE: PRIMARY_POOL_SIZE },
    logger,
  );
  try {
    const demo = await isDemoMode(config);
    const models = resolveModels(config.BEDROCK_MODEL_ARNS, config.MODEL_PRICES);
    await prepareData(database.db, config, { demo, models }, logger);
    return { database, demo, adminExists: await adminExists(database.db.em.fork()) };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Fails naming REDIS_URL before any worker starts (each would fail the same way). */
async function checkRedis(url: string): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `REDIS_URL: cannot reach Redis at ${new URL(url).host} (${error instanceof Error ? error.message : String(error)})`,
    );
  } finally {
    redis.disconnect();
  }
}
