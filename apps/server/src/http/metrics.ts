import { serve } from "@hono/node-server";
import { metrics, metricsRegistry } from "@parley/core";
import { type Database, type PgPool, pgPoolOf } from "@parley/db";
import { type Context, Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import { collectDefaultMetrics, Gauge } from "prom-client";
import type { AppEnv } from "./env.ts";

let pools: (() => Promise<PgPool>)[] = [];

/** Process metrics (CPU, memory, event loop, GC) and the database pool, registered once per process. */
export function registerServerMetrics(db: Database): () => void {
  if (pools.length === 0 && !metricsRegistry.getSingleMetric("parley_db_pool_connections")) {
    collectDefaultMetrics({ register: metricsRegistry, prefix: "parley_" });
    new Gauge({
      name: "parley_db_pool_connections",
      help: "Database pool connections by state: in_use, idle, and requests waiting for one.",
      labelNames: ["state"] as const,
      registers: [metricsRegistry],
      async collect() {
        let inUse = 0;
        let idle = 0;
        let waiting = 0;
        for (const pool of pools) {
          const p = await pool().catch(() => null);
          if (!p) continue;
          inUse += p.totalCount - p.idleCount;
          idle += p.idleCount;
          waiting += p.waitingCount;
        }
        this.set({ state: "in_use" }, inUse);
        this.set({ state: "idle" }, idle);
        this.set({ state: "waiting" }, waiting);
      },
    });
  }
  const pool = () => pgPoolOf(db.em);
  pools.push(pool);
  return () => {
    pools = pools.filter((p) => p !== pool);
  };
}

/** Counts every HTTP request by method, route pattern (not the raw path: bounded labels) and status. */
export const httpMetrics = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  // The pattern of the route that answered (a 404 falls to the catch-all): few, bounded label values.
  metrics.httpRequests.inc({ method: c.req.method, route: routePath(c), status: String(c.res.status) });
});

/** The exposition text of the whole server: this process's registry, or every worker's together. */
export type MetricsSource = () => Promise<string>;

/** This process's metrics: the whole server when it is the only process. */
export const processMetrics: MetricsSource = () => metricsRegistry.metrics();

/** GET /metrics in Prometheus's text format; with a token, only for `Authorization: Bearer <token>`. */
export function metricsEndpoint(token: string | undefined, source: MetricsSource = processMetrics) {
  return async (c: Context) => {
    if (token !== undefined && c.req.header("authorization") !== `Bearer ${token}`) {
      return c.json({ error: { code: "UNAUTHORIZED", message: "Metrics need the metrics token." } }, 401, {
        "WWW-Authenticate": "Bearer",
      });
    }
    let text: string;
    try {
      text = await source();
    } catch {
      // A worker that is restarting cannot answer; the next scrape gets the whole server again.
      return c.json(
        { error: { code: "UNAVAILABLE", message: "Metrics could not be gathered from every worker." } },
        503,
      );
    }
    return c.body(text, 200, { "Content-Type": metricsRegistry.contentType });
  };
}

/** /metrics alone on its own port (no token: the port is meant for a private network). */
export async function startMetricsServer(
  port: number,
  hostname: string,
  source: MetricsSource = processMetrics,
): Promise<{ close(): Promise<void> }> {
  const app = new Hono();
  app.get("/metrics", metricsEndpoint(undefined, source));
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname }, () => resolve(s));
    s.once("error", reject);
  });
  return {
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
