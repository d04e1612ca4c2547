import { Piscina } from "piscina";
import { CALCULATOR_LIMITS, type CalculatorOutcome } from "./limits.ts";

let pool: Piscina<{ expression: string }, CalculatorOutcome> | null = null;

/** One pool for the process, made on first use: most servers never start a worker. */
function calculatorPool(): Piscina<{ expression: string }, CalculatorOutcome> {
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

function explain(error: unknown): string {
  if (error instanceof Error && error.name === "AbortError") {
    return `the calculation took longer than ${CALCULATOR_LIMITS.timeoutMs / 1000} s and was stopped`;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ERR_WORKER_OUT_OF_MEMORY") return "the calculation needed more memory than allowed";
  return error instanceof Error ? error.message : String(error);
}

/**
 * Evaluates a mathjs expression in a worker thread. Always resolves: a refusal, a timeout or a
 * crash becomes a "Cannot evaluate: …" text the model reads, never an exception on the server.
 */
export async function calculateInSandbox(expression: string): Promise<string> {
  try {
    const outcome = await calculatorPool().run(
      { expression },
      { signal: AbortSignal.timeout(CALCULATOR_LIMITS.timeoutMs) },
    );
    return outcome.ok ? outcome.result : `Cannot evaluate: ${outcome.error}`;
  } catch (error) {
    return `Cannot evaluate: ${explain(error)}.`;
  }
}

/** Ends the calculator's workers (server shutdown). A later call starts a new pool. */
export async function closeToolSandbox(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.destroy();
}
