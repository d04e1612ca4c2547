import { metrics } from "@parley/core";
import type { TurnRunner } from "./turn-runner.ts";

/**
 * The answers this process is writing: run in the background from their start, found by id (a stop
 * from the bus, a stream opened here), and awaited at shutdown.
 */
export class LocalTurns {
  readonly #runners = new Map<string, TurnRunner>();
  readonly #running = new Set<Promise<void>>();

  get size(): number {
    return this.#runners.size;
  }

  get(turnId: string): TurnRunner | undefined {
    return this.#runners.get(turnId);
  }

  values(): IterableIterator<TurnRunner> {
    return this.#runners.values();
  }

  /**
   * Registers the answer (a stop or a stream finds it from now on), announces it, then runs it in
   * the background; it leaves the set when it has ended (settled and stored).
   */
  async start(runner: TurnRunner, announce: () => Promise<unknown>): Promise<void> {
    this.#runners.set(runner.turnId, runner);
    await announce();
    metrics.runningTurns.inc();
    const running = runner.run().finally(() => {
      metrics.runningTurns.dec();
      this.#runners.delete(runner.turnId);
      this.#running.delete(running);
    });
    this.#running.add(running);
  }

  /** Ends every answer (each is charged for what it produced and stored) and waits for them. */
  async abortAll(reason: Error): Promise<void> {
    for (const runner of this.#runners.values()) runner.controller.abort(reason);
    await Promise.allSettled([...this.#running]);
  }
}
