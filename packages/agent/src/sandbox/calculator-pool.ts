import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { CALCULATOR_LIMITS, type CalculatorOutcome, type CalculatorTask } from "./limits.ts";

let pool: Piscina<CalculatorTask, CalculatorOutcome> | null = null;

/** One pool for the process, made on first use: most servers never start a worker. */
function calculatorPool(): Piscina<CalculatorTask, CalculatorOutcome> {
  if (pool) return pool;
  pool = new Piscina({
    filename: new URL("./calculator-worker.ts", import.meta.url).href,
    name: "default",
    minThreads: 0,
    maxThreads: 2,
    idleTimeout: 60_000,
    maxQueue: CALCULATOR_LIMITS.maxQueue,
    resourceLimits: { maxOldGenerationSizeMb: CALCULATOR_LIMITS.heapMb, maxYoungGenerationSizeMb: 16 },
  });
  // A worker that dies with no task to blame (e.g. while starting) is replaced by the pool; the
  // event must have a listener or it would be thrown on the server's thread.
  pool.on("error", () => {});
  return pool;
}

type Stop = "evaluation" | "waiting";

function explain(error: unknown, stop: Stop | null): string {
  if (stop === "evaluation") {
    return `the calculation took longer than ${CALCULATOR_LIMITS.timeoutMs / 1000} s and was stopped`;
  }
  if (stop === "waiting") return "the calculator is busy; try again shortly";
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ERR_WORKER_OUT_OF_MEMORY") return "the calculation needed more memory than allowed";
  return error instanceof Error ? error.message : String(error);
}

/**
 * Evaluates a mathjs expression in a worker thread. Always resolves: a refusal, a timeout or a
 * crash becomes a "Cannot evaluate: …" text the model reads, never an exception on the server.
 *
 * The time limit counts from the moment the worker starts evaluating (it says so on a port), so a
 * worker still loading mathjs on a busy machine does not eat into it; waiting for a worker has a
 * limit of its own.
 */
export async function calculateInSandbox(expression: string): Promise<string> {
  const controller = new AbortController();
  let stop: Stop | null = null;
  const abort = (why: Stop) => {
    stop = why;
    controller.abort();
  };
  const waiting = setTimeout(() => abort("waiting"), CALCULATOR_LIMITS.waitMs);
  let evaluating: NodeJS.Timeout | undefined;
  const { port1, port2 } = new MessageChannel();
  port1.once("message", () => {
    clearTimeout(waiting);
    evaluating = setTimeout(() => abort("evaluation"), CALCULATOR_LIMITS.timeoutMs);
  });
  try {
    const outcome = await calculatorPool().run(
      { expression, started: port2 },
      { signal: controller.signal, transferList: [port2] },
    );
    return outcome.ok ? outcome.result : `Cannot evaluate: ${outcome.error}`;
  } catch (error) {
    return `Cannot evaluate: ${explain(error, stop)}.`;
  } finally {
    clearTimeout(waiting);
    clearTimeout(evaluating);
    port1.close();
  }
}

/** Ends the calculator's workers (server shutdown). A later call starts a new pool. */
export async function closeToolSandbox(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.destroy();
}
