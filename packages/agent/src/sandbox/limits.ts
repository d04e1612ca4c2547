import type { MessagePort } from "node:worker_threads";

/** Limits on one calculator call, shared by the pool (main thread) and its workers. */
export const CALCULATOR_LIMITS = {
  /** Evaluation time, counted from when the worker starts on the expression. */
  timeoutMs: 5_000,
  /** Time to wait for a worker (queueing, a worker starting up on a busy machine). */
  waitMs: 30_000,
  /** A worker's V8 heap (old generation); mathjs itself needs about 20 MB. */
  heapMb: 64,
  /** Calls waiting for a worker beyond this are refused at once instead of piling up. */
  maxQueue: 64,
  /** The largest matrix or range an expression may build in one step. */
  maxElements: 10_000,
  /** Results longer than this are cut, with a note saying so (the model reads the note). */
  maxResultChars: 4_000,
} as const;

export interface CalculatorTask {
  expression: string;
  /** The worker posts on it as it starts evaluating: the time limit starts then. */
  started: MessagePort;
}

export type CalculatorOutcome = { ok: true; result: string } | { ok: false; error: string };
