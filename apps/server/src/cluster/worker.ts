// A worker process of a PARLEY_WORKERS > 1 server: an ordinary server on the shared port, minus
// the once-per-start work the primary did, asking the primary for the whole server's metrics.
import cluster from "node:cluster";
import { AggregatorRegistry } from "prom-client";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import { startServer } from "../server.ts";
import { isMetricsReply, type MetricsRequest, type WorkerReady } from "./messages.ts";

const METRICS_TIMEOUT_MS = 10_000;

export async function runWorker(config: Config, logger: Logger): Promise<void> {
  // Constructing it makes prom-client answer the primary's requests for this process's registry.
  new AggregatorRegistry();
  const metrics = askPrimaryForMetrics();
  const server = await startServer(config, logger, { worker: { metrics } }).catch((error: unknown) => {
    logger.fatal({ err: error }, "worker start-up failed");
    process.exit(1);
  });
  send({ type: "parley:ready", url: server.url } satisfies WorkerReady);

  const stop = (reason: string) => {
    logger.info({ reason }, "worker shutting down");
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stop(signal));
  // The primary is gone (killed): drain rather than serve on unsupervised.
  process.once("disconnect", () => stop("primary gone"));
}

function askPrimaryForMetrics(): () => Promise<string> {
  let nextId = 0;
  const pending = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
  process.on("message", (message: unknown) => {
    if (!isMetricsReply(message)) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.text !== undefined) waiter?.resolve(message.text);
    else waiter?.reject(new Error(message.error ?? "no metrics"));
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error("the primary did not answer the metrics request"));
      }, METRICS_TIMEOUT_MS);
      pending.set(id, {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      if (!send({ type: "parley:metrics-request", id } satisfies MetricsRequest)) {
        pending.delete(id);
        clearTimeout(timer);
        reject(new Error("no primary to ask"));
      }
    });
}

function send(message: WorkerReady | MetricsRequest): boolean {
  if (!cluster.isWorker || !process.send || !process.connected) return false;
  return process.send(message);
}
