/** How long a model call may go without a chunk (before the first one too): LangChain's default. */
export const STREAM_IDLE_TIMEOUT_MS = 60_000;

/**
 * Ends a model call whose stream goes quiet: Bedrock can stop sending without closing the
 * connection, and an answer must not hang with its credits held. `ChatBedrockConverse` has such a
 * watchdog (`streamIdleTimeout`), but it races a new timer and a new promise against every chunk;
 * this one notes the time of each chunk and keeps one timer for the whole call, which looks again
 * when it fires. Abort the call with `signal`; when the watchdog fired, `timedOut` is the error to
 * throw (the call itself fails with an abort).
 */
export class StreamWatchdog {
  readonly signal: AbortSignal;
  readonly #idleMs: number;
  readonly #controller = new AbortController();
  #lastChunkAt = performance.now();
  #sawChunk = false;
  #timer: NodeJS.Timeout;
  #timedOut: Error | undefined;

  /** `parent`: the turn's own signal (a stop), which the call also follows. */
  constructor(idleMs: number, parent?: AbortSignal) {
    this.#idleMs = idleMs;
    this.signal = parent ? AbortSignal.any([parent, this.#controller.signal]) : this.#controller.signal;
    this.#timer = setTimeout(() => this.#check(), idleMs);
  }

  /** A chunk arrived. */
  chunk(): void {
    this.#lastChunkAt = performance.now();
    this.#sawChunk = true;
  }

  /** The error the call ended with because it went quiet, if it did. */
  get timedOut(): Error | undefined {
    return this.#timedOut;
  }

  /** The call is over. */
  stop(): void {
    clearTimeout(this.#timer);
  }

  #check(): void {
    const quietMs = performance.now() - this.#lastChunkAt;
    if (quietMs < this.#idleMs) {
      this.#timer = setTimeout(() => this.#check(), this.#idleMs - quietMs);
      return;
    }
    // LangChain's own error, so a stalled call reads the same with either watchdog.
    const error = new Error(
      `Bedrock Converse timed out after ${this.#idleMs} ms while waiting for the ${this.#sawChunk ? "next chunk" : "initial response"}.`,
    );
    Object.assign(error, { lc_error_code: "MODEL_STREAM_TIMEOUT" });
    this.#timedOut = error;
    this.#controller.abort(error);
  }
}
