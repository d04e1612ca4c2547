// The primary's watch over its workers: forks them, restarts one that dies (with backoff), gives
// up when they keep failing at start, and drains them all on shutdown.
import cluster, { type Worker } from "node:cluster";
import { Counter, Gauge, Registry } from "prom-client";
import type { Logger } from "../logger.ts";
import { isWorkerMessage, type MetricsReply } from "./messages.ts";

/** A dead worker's replacement waits this long, doubling with each crash in the last minute. */
const RESTART_BASE_MS = 250;
const RESTART_MAX_MS = 30_000;
const CRASH_WINDOW_MS = 60_000;
/** Workers that die before listening this many times in a row mean a broken start: give up. */
const MAX_START_FAILURES = 3;
/** EX_CONFIG: a worker refused its configuration; restarting cannot help. */
const CONFIG_ERROR_EXIT = 78;

export interface SupervisorOptions {
  count: number;
  /** Variables every worker gets on top of the primary's environment. */
  env: Record<string, string>;
  logger: Logger;
  /** Each worker's drain time; past it (plus a margin) a worker is killed. */
  shutdownTimeoutMs: number;
  /** Once, when every worker first listens. */
  onReady(url: string): void;
  /** The whole server's metrics, to answer a worker's /metrics. */
  metrics(): Promise<string>;
}

export class Supervisor {
  /** The supervisor's own metrics, served beside the workers' aggregate. */
  readonly registry = new Registry();
  /** Settles with the exit code the primary should end with. */
  readonly finished: Promise<number>;
  readonly #options: SupervisorOptions;
  readonly #ready = new Set<number>();
  readonly #restarts: Counter;
  #crashes: number[] = [];
  #startFailures = 0;
  #announced = false;
  #stopping = false;
  #exitCode = 0;
  #finish: (code: number) => void = () => {};

  constructor(options: SupervisorOptions) {
    this.#options = options;
    this.finished = new Promise((resolve) => {
      this.#finish = resolve;
    });
    const ready = this.#ready;
    new Gauge({
      name: "parley_workers",
      help: "Worker processes serving requests right now (PARLEY_WORKERS).",
      registers: [this.registry],
      collect() {
        this.set(ready.size);
      },
    });
    this.#restarts = new Counter({
      name: "parley_worker_restarts_total",
      help: "Worker processes that died and were replaced.",
      registers: [this.registry],
    });
  }

  start(): void {
    cluster.on("message", (worker, message: unknown) => this.#onMessage(worker, message));
    cluster.on("exit", (worker, code, signal) => this.#onExit(worker, code, signal));
    for (let i = 0; i < this.#options.count; i++) this.#fork();
  }

  /** SIGTERM to every worker (each drains as a single server does); settles `finished`. */
  stop(exitCode: number): void {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#exitCode = exitCode;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) {
      this.#finish(exitCode);
      return;
    }
    for (const worker of workers) worker.process.kill("SIGTERM");
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) {
        this.#options.logger.warn({ worker: worker?.id }, "worker did not drain in time: killed");
        worker?.process.kill("SIGKILL");
      }
    }, this.#options.shutdownTimeoutMs + 10_000).unref();
  }

  #fork(): void {
    const worker = cluster.fork(this.#options.env);
    this.#options.logger.info({ worker: worker.id, workerPid: worker.process.pid }, "worker started");
  }

  #onMessage(worker: Worker, message: unknown): void {
    if (!isWorkerMessage(message)) return;
    if (message.type === "parley:ready") {
      this.#ready.add(worker.id);
      this.#startFailures = 0;
      if (!this.#announced && this.#ready.size === this.#options.count) {
        this.#announced = true;
        this.#options.onReady(message.url);
      }
      return;
    }
    const reply = (body: Omit<MetricsReply, "type" | "id">) => {
      if (worker.isConnected()) worker.send({ type: "parley:metrics-reply", id: message.id, ...body });
    };
    this.#options.metrics().then(
      (text) => reply({ text }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  }

  #onExit(worker: Worker, code: number | null, signal: string | null): void {
    const { logger } = this.#options;
    const wasReady = this.#ready.delete(worker.id);
    if (this.#stopping) {
      if (code !== 0 && this.#exitCode === 0) this.#exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) this.#finish(this.#exitCode);
      return;
    }
    const details = { worker: worker.id, workerPid: worker.process.pid, code, signal };
    if (code === CONFIG_ERROR_EXIT) {
      logger.fatal(details, "worker refused the configuration: stopping");
      this.stop(CONFIG_ERROR_EXIT);
      return;
    }
    if (!wasReady && ++this.#startFailures >= MAX_START_FAILURES) {
      logger.fatal(
        { ...details, failures: this.#startFailures },
        "workers keep crashing at start (see their errors above): stopping",
      );
      this.stop(1);
      return;
    }
    const now = Date.now();
    this.#crashes = [...this.#crashes.filter((at) => now - at < CRASH_WINDOW_MS), now];
    const delayMs = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** (this.#crashes.length - 1));
    logger.error(
      { ...details, restartInMs: delayMs },
      wasReady ? "worker died: replacing it" : "worker failed to start: retrying",
    );
    this.#restarts.inc();
    setTimeout(() => {
      if (!this.#stopping) this.#fork();
    }, delayMs);
  }
}
