// What the primary and its workers tell each other over the cluster's IPC channel.
import { availableParallelism } from "node:os";
import type { Config } from "../config.ts";

/** A worker is listening: the primary prints the banner once every worker is. */
export interface WorkerReady {
  type: "parley:ready";
  url: string;
}

/** A worker asks for the whole server's metrics (to answer GET /metrics). */
export interface MetricsRequest {
  type: "parley:metrics-request";
  id: number;
}

/** The primary's answer: every worker's metrics aggregated, plus its own; or why not. */
export interface MetricsReply {
  type: "parley:metrics-reply";
  id: number;
  text?: string;
  error?: string;
}

export type WorkerMessage = WorkerReady | MetricsRequest;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return isObject(value) && (value.type === "parley:ready" || value.type === "parley:metrics-request");
}

export function isMetricsReply(value: unknown): value is MetricsReply {
  return isObject(value) && value.type === "parley:metrics-reply" && typeof value.id === "number";
}

/**
 * How many server processes to run: PARLEY_WORKERS, else every core the process may use when
 * REDIS_URL lets the workers share answers and DATABASE_URL names a PostgreSQL they can all use,
 * else one (the zero-configuration try-out: no Redis, the embedded database).
 */
export function workerCount(config: Config): number {
  return config.PARLEY_WORKERS ?? (config.REDIS_URL && config.DATABASE_URL ? availableParallelism() : 1);
}
