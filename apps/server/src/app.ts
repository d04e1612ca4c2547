import type { ApiServices } from "@parley/api";
import type { OidcClient } from "@parley/auth";
import { pendingMigrations } from "@parley/db";
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { jsonNotFound } from "./http/api-not-found.ts";
import { mountAttachmentRoutes } from "./http/attachment-routes.ts";
import { apiCors } from "./http/cors.ts";
import type { AppEnv } from "./http/env.ts";
import { noBatchedAuthMutations, noStore, requestIdOnResponse, securityHeaders } from "./http/hardening.ts";
import { httpMetrics, type MetricsSource, metricsEndpoint } from "./http/metrics.ts";
import { mountPanel, type PanelMode } from "./http/panel.ts";
import type { OriginPolicy } from "./http/request-info.ts";
import { requestLogging } from "./http/request-logging.ts";
import { mountSpa } from "./http/spa.ts";
import { mountSsoRoutes } from "./http/sso-routes.ts";
import { trpcHandler } from "./http/trpc-handler.ts";
import { mountTurnStream } from "./http/turn-stream-route.ts";
import type { Logger } from "./logger.ts";
import { mountOpenAiApi } from "./openai/routes.ts";
import { mountOpenApi } from "./openapi/routes.ts";
import { mountRestApi } from "./rest/adapter.ts";

export interface AppOptions {
  services: ApiServices;
  logger: Logger;
  originPolicy: OriginPolicy;
  /** Folder of the built SPA; when it has no index.html, only the API is served. */
  webDistDir: string;
  /** True while the server drains for shutdown: readiness turns false so balancers stop sending. */
  isShuttingDown: () => boolean;
  /** More dependencies readiness waits for (e.g. Redis): each returns what is wrong, or null. */
  readinessChecks?: (() => Promise<string | null>)[];
  /** The tRPC panel at /panel (default: admins only). */
  panel?: PanelMode;
  /** Spans for HTTP requests (OpenTelemetry is exporting). */
  httpSpans?: MiddlewareHandler | null;
  /** GET /metrics on this app, behind this bearer token (unset: not served here). */
  metricsToken?: string | undefined;
  /** What /metrics serves (default: this process's registry; a worker asks the primary). */
  metricsSource?: MetricsSource;
  /** Single sign-on through OpenID Connect, when configured. */
  oidc?: OidcClient | null;
  /** PUBLIC_URL, the base of the SSO redirect URI when set. */
  publicUrl?: string | undefined;
}

const MAX_BODY_BYTES = 1024 * 1024;

export function createApp(options: AppOptions): Hono<AppEnv> {
  const { services, logger, originPolicy } = options;
  const app = new Hono<AppEnv>();

  // The request's span first, so everything below (logs included) happens inside it.
  if (options.httpSpans) app.use(options.httpSpans);
  // A client's id is kept only when it is a plain token of at most 64 characters.
  app.use(requestId({ limitLength: 64 }));
  app.use(requestIdOnResponse);
  app.use(requestLogging(logger));
  app.use(httpMetrics);
  app.use(securityHeaders);
  app.use("/trpc/*", noStore);
  app.use("/api/*", noStore);
  app.use("/v1/*", noStore);

  if (options.metricsToken) app.get("/metrics", metricsEndpoint(options.metricsToken, options.metricsSource));

  /** Liveness: the process is up and serving. */
  app.get("/healthz", (c) => c.json({ status: "ok" }));

  /** Readiness: the database answers and every migration has been applied. */
  app.get("/readyz", async (c) => {
    if (options.isShuttingDown()) return c.json({ status: "shutting-down" }, 503);
    try {
      await services.db.em.fork().getConnection().execute("select 1");
      const pending = await pendingMigrations(services.db);
      if (pending.length > 0) return c.json({ status: "migrations-pending", pending }, 503);
      // Redis (between processes) is reported, not required: without it each process still serves
      // its own answers, and taking every replica out of rotation would be a full outage.
      const problems = await Promise.all((options.readinessChecks ?? []).map((check) => check()));
      const degraded = problems.filter((p) => p !== null);
      if (degraded.length > 0) return c.json({ status: "degraded", problems: degraded });
      return c.json({ status: "ready" });
    } catch (error) {
      c.get("log").warn({ err: error }, "readiness check failed");
      return c.json({ status: "database-unreachable" }, 503);
    }
  });

  const cors = apiCors(originPolicy.allowedOrigins);
  app.use("/trpc/*", cors);
  app.use("/api/*", cors);

  const trpcBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    // The rest of the oversized body is never read, so the connection cannot be reused.
    onError: (c) =>
      c.json(
        {
          error: {
            message: "Request body too large.",
            data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413 },
          },
        },
        413,
        { Connection: "close" },
      ),
  });
  // The Node adapter gives a GET or HEAD no body; bodyLimit would build the full web Request
  // (headers copied, an abort signal) on every query only to find that out.
  app.use("/trpc/*", (c, next) =>
    c.req.method === "GET" || c.req.method === "HEAD" ? next() : trpcBodyLimit(c, next),
  );
  app.use("/trpc/*", noBatchedAuthMutations);
  mountTurnStream(app, services, originPolicy);
  app.all("/trpc/*", trpcHandler(services, originPolicy));

  mountSsoRoutes(app, { services, oidc: options.oidc ?? null, originPolicy, publicUrl: options.publicUrl });
  mountRestApi(app, { services, originPolicy });
  mountAttachmentRoutes(app, { services, originPolicy });
  mountOpenAiApi(app, { services, originPolicy });
  mountOpenApi(app);
  mountPanel(app, { mode: options.panel ?? "admin", services, originPolicy });
  // Unknown paths get a JSON 404; the SPA's fallback leaves API paths to it (see api-not-found.ts).
  app.notFound(jsonNotFound);

  if (!mountSpa(app, options.webDistDir)) {
    logger.warn({ webDistDir: options.webDistDir }, "SPA not built: serving the API only (run pnpm build)");
  }
  return app;
}
