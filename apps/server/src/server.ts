import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createAdaptorServer } from "@hono/node-server";
import { startSweeper } from "@parley/accounting";
import {
  ChatService,
  closeToolSandbox,
  DEFAULT_SYSTEM_PROMPT,
  LocalTurnBus,
  RedisTurnBus,
  type TurnBus,
} from "@parley/agent";
import {
  adminExists,
  ExternalTokenVerifier,
  OidcClient,
  SessionManager,
  ssoAccountCreation,
} from "@parley/auth";
import { accountSettings } from "./accounts.ts";
import { createApp } from "./app.ts";
import { RedisAuthInvalidation } from "./auth-invalidation.ts";
import { setUpBedrock } from "./bedrock.ts";
import { workerCount } from "./cluster/messages.ts";
import type { Config } from "./config.ts";
import { oidcSettings } from "./config-sso.ts";
import { connectDatabase } from "./database.ts";
import { type MetricsSource, registerServerMetrics, startMetricsServer } from "./http/metrics.ts";
import { OIDC_START_PATH } from "./http/sso-routes.ts";
import type { Logger } from "./logger.ts";
import { prepareData } from "./start-up.ts";
import { startTelemetry } from "./telemetry.ts";
import { welcomeCredits } from "./welcome.ts";

const DEFAULT_WEB_DIST = fileURLToPath(new URL("../../web/dist", import.meta.url));
const EXPIRED_SESSION_SWEEP_MS = 60 * 60 * 1000;
/**
 * Connections the kernel queues for the server until it accepts them (Linux caps this at
 * net.core.somaxconn, 4096 by default). Node's default, 511, overflowed when a thousand clients
 * connected at once to a busy process: the kernel dropped their SYNs, each client retried after
 * one, three, seven seconds, and some gave up ("fetch failed"). Every browser reconnecting its
 * answer stream after a restart is such a burst.
 */
const LISTEN_BACKLOG = 4096;

export interface RunningServer {
  url: string;
  /** Answers come from the built-in fake Bedrock server. */
  demo: boolean;
  /** The database URL in use (the embedded server's loopback URL when embedded). */
  databaseUrl: string;
  /** Where the data lives, for the start banner. */
  databaseDescription: string;
  adminExists: boolean;
  /** Stops accepting, drains in-flight requests (up to SHUTDOWN_TIMEOUT_MS), closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  /**
   * Set in a worker process (PARLEY_WORKERS > 1): the primary has migrated and prepared the data,
   * serves METRICS_PORT, and gathers the whole server's metrics, which /metrics asks it for.
   */
  worker?: { metrics: MetricsSource };
}

export async function startServer(
  config: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningServer> {
  const { worker } = options;
  const telemetry = await startTelemetry(config);
  const database = await connectDatabase(config, logger, { migrate: !worker });
  const { db } = database;
  const unregisterMetrics = registerServerMetrics(db);
  const metricsServer =
    config.METRICS_PORT && !worker ? await startMetricsServer(config.METRICS_PORT, config.HOST) : null;
  const sessions = new SessionManager(db, {
    ttlDays: config.SESSION_TTL_DAYS,
    cacheTtlMs: config.AUTH_CACHE_TTL_MS,
  });

  // With REDIS_URL, answers' events and stop requests travel between processes through Redis.
  const bus: TurnBus = config.REDIS_URL
    ? await RedisTurnBus.connect(config.REDIS_URL, logger).catch(async (error: unknown) => {
        await database.close();
        throw error;
      })
    : new LocalTurnBus();
  const authInvalidation = config.REDIS_URL
    ? await RedisAuthInvalidation.connect(config.REDIS_URL, sessions, logger)
    : null;
  const bedrock = await setUpBedrock(config, logger);
  if (!worker) await prepareData(db, config, bedrock, logger);
  const welcome = welcomeCredits(config, bedrock.demo);
  let url = config.PUBLIC_URL ?? "";
  const accounts = accountSettings(config, bedrock.demo, () => url);
  const chat = new ChatService({
    db,
    clients: bedrock.clients,
    bus,
    models: bedrock.models,
    fallbackModelId: config.LLM_FALLBACK_MODEL,
    systemPrompt: config.CHAT_SYSTEM_PROMPT ?? DEFAULT_SYSTEM_PROMPT,
    maxMessageChars: config.CHAT_MAX_MESSAGE_CHARS,
    maxConcurrentTurns: config.CHAT_MAX_CONCURRENT_TURNS,
    reservationTtlSeconds: config.RESERVATION_TTL_SECONDS,
    coalesceMs: config.STREAM_COALESCE_MS,
    processesOnMachine: worker ? workerCount(config) : 1,
    logger,
    demo: bedrock.demo,
    attachments: {
      maxBytes: config.ATTACHMENT_MAX_BYTES,
      maxPerMessage: config.ATTACHMENTS_MAX_PER_MESSAGE,
      unsentTtlSeconds: config.ATTACHMENT_UNSENT_TTL_SECONDS,
    },
  });
  chat.start();
  const sweeper = startSweeper(db.em, {
    intervalMs: config.ACCOUNTING_SWEEP_INTERVAL_SECONDS * 1000,
    logger,
  });

  const sso = oidcSettings(config);
  const oidc = sso
    ? new OidcClient({ ...sso, mayCreateAccount: ssoAccountCreation(accounts.settings.registration) })
    : null;
  let shuttingDown = false;
  let closing: Promise<void> | null = null;
  const app = createApp({
    services: {
      db,
      sessions,
      accounting: {
        reservationTtlSeconds: config.RESERVATION_TTL_SECONDS,
        signupCredits: welcome.credits,
        demo: welcome.demo,
      },
      accounts: accounts.settings,
      chat,
      externalTokens: config.JWT_ACCESS_SECRET
        ? new ExternalTokenVerifier(db, config.JWT_ACCESS_SECRET)
        : undefined,
      ssoProviders: oidc
        ? [{ id: "oidc", displayName: config.OIDC_DISPLAY_NAME, startUrl: OIDC_START_PATH }]
        : [],
    },
    oidc,
    publicUrl: config.PUBLIC_URL,
    logger,
    originPolicy: { trustProxy: config.TRUST_PROXY, allowedOrigins: config.ALLOWED_ORIGINS },
    webDistDir: config.WEB_DIST_DIR ?? DEFAULT_WEB_DIST,
    isShuttingDown: () => shuttingDown,
    readinessChecks: [() => bus.problem()],
    panel: config.NODE_ENV === "development" ? "on" : config.PANEL,
    httpSpans: telemetry.httpSpans,
    metricsToken: config.METRICS_TOKEN,
    ...(worker ? { metricsSource: worker.metrics } : {}),
  });

  // Plain HTTP/1.1 server (the adaptor's default), typed as such for the connection-draining calls below.
  const server = await new Promise<Server>((resolve, reject) => {
    const s = createAdaptorServer({ fetch: app.fetch, hostname: config.HOST }) as Server;
    s.once("error", reject);
    s.listen({ port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "localhost" : config.HOST;
  url = config.PUBLIC_URL ?? `http://${host}:${port}`;

  const sweep = setInterval(() => {
    sessions.deleteExpired().catch((err) => logger.warn({ err }, "expired-session sweep failed"));
  }, EXPIRED_SESSION_SWEEP_MS);
  sweep.unref();

  logger.info({ url, database: database.description }, "parley listening");
  return {
    url,
    demo: bedrock.demo,
    databaseUrl: database.url,
    databaseDescription: database.description,
    adminExists: await adminExists(db.em.fork()),
    // Once, however often it is asked (a worker gets SIGINT from the terminal and SIGTERM from its
    // primary): every caller waits for the same drain.
    close() {
      closing ??= drain();
      return closing;
    },
  };

  async function drain(): Promise<void> {
    shuttingDown = true;
    clearInterval(sweep);
    // Running answers end first (charged for what they produced), which also ends their streams,
    // so the HTTP server below has only ordinary requests left to drain.
    await chat.stopAll();
    await new Promise<void>((resolve) => {
      // Keep-alive connections turn idle as their last response finishes; close each as it does,
      // so draining ends when the last in-flight request ends, not at the keep-alive timeout.
      const reapIdle = setInterval(() => server.closeIdleConnections(), 50);
      const force = setTimeout(() => {
        logger.warn("shutdown timeout: closing remaining connections");
        server.closeAllConnections();
      }, config.SHUTDOWN_TIMEOUT_MS);
      server.close(() => {
        clearInterval(reapIdle);
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
    await sweeper.stop();
    await closeToolSandbox();
    await bus.close();
    authInvalidation?.close();
    await bedrock.close();
    accounts.close();
    await metricsServer?.close();
    unregisterMetrics();
    await database.close();
    await telemetry.shutdown();
    logger.info("parley stopped");
  }
}
