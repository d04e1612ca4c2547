import type { StoredToolCall } from "@parley/db";
import type { ChatEvent } from "./events.ts";

/**
 * The answer as the user sees it: its text, the tools it called, and the token events that carry
 * it. The first text goes out at once (time to first token is what users feel); later text is
 * coalesced into one event per window (fewer, larger events). The window is asked for at the start
 * of each one, so it can widen while many answers stream at once (see coalesceWindowMs).
 */
export class Transcript {
  text = "";
  readonly toolCalls = new Map<string, StoredToolCall>();
  readonly #emit: (event: ChatEvent) => void;
  readonly #windowMs: () => number;
  #pending = "";
  #timer: NodeJS.Timeout | undefined;

  constructor(emit: (event: ChatEvent) => void, windowMs: () => number) {
    this.#emit = emit;
    this.#windowMs = windowMs;
  }

  addText(text: string): void {
    const first = this.text === "";
    this.text += text;
    this.#pending += text;
    if (first) this.flush();
    else if (this.#timer === undefined) {
      const windowMs = this.#windowMs();
      if (windowMs <= 0) this.flush();
      else this.#timer = setTimeout(this.#flushNow, windowMs);
    }
  }

  readonly #flushNow = () => this.flush();

  /** Any other event: pending text goes first, so the order is what happened. */
  push(event: ChatEvent): void {
    this.flush();
    this.#emit(event);
  }

  toolCall(call: { id: string; name: string; args: Record<string, unknown> }): void {
    this.toolCalls.set(call.id, { ...call, result: null });
    this.push({ type: "toolCall", ...call });
  }

  toolResult(id: string, name: string | undefined, result: string): void {
    const call = this.toolCalls.get(id);
    if (call) call.result = result;
    this.push({ type: "toolResult", id, name: call?.name ?? name ?? "", result });
  }

  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending) this.#emit({ type: "token", text: this.#pending });
    this.#pending = "";
  }
}

/** Answers streaming at once on one machine per widening of the window by the base window. */
const STREAMS_PER_WIDENING = 25;
/** The widest window, whatever the load: text still moves several times a second. */
const MAX_WINDOW_MS = 250;

/**
 * The coalescing window while `streaming` answers run in this process and `processes` server
 * processes (PARLEY_WORKERS) share the machine's cores: the configured one for a few answers
 * machine-wide, widening by that much again for every STREAMS_PER_WIDENING more (25 ms: 50 ms at
 * 25 answers, 125 ms at 100), up to MAX_WINDOW_MS. Each SSE event costs the server (and the
 * browser) about the same whatever it carries, so under load fewer, larger events keep every
 * stream on pace; a lone answer keeps its smooth, small steps. The cluster hands connections out
 * in turn, so the machine runs about `streaming × processes` answers: two workers with 50 each
 * take the window one process with 100 would. 0 turns coalescing off.
 */
export function coalesceWindowMs(baseMs: number, streaming: number, processes = 1): number {
  if (baseMs <= 0) return 0;
  return Math.min(
    Math.max(baseMs, MAX_WINDOW_MS),
    Math.round(baseMs * (1 + (streaming * processes) / STREAMS_PER_WIDENING)),
  );
}
