import type { StoredToolCall } from "@parley/db";
import type { ChatEvent } from "./events.ts";

/**
 * The answer as the user sees it: its text, the tools it called, and the token events that carry
 * it. The first text goes out at once (time to first token is what users feel); later text is
 * coalesced into one event per window (fewer, larger events).
 */
export class Transcript {
  text = "";
  readonly toolCalls = new Map<string, StoredToolCall>();
  readonly #emit: (event: ChatEvent) => void;
  readonly #coalesceMs: number;
  #pending = "";
  #timer: NodeJS.Timeout | undefined;

  constructor(emit: (event: ChatEvent) => void, coalesceMs: number) {
    this.#emit = emit;
    this.#coalesceMs = coalesceMs;
  }

  addText(text: string): void {
    const first = this.text === "";
    this.text += text;
    this.#pending += text;
    if (first || this.#coalesceMs <= 0) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), this.#coalesceMs);
  }

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
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending) this.#emit({ type: "token", text: this.#pending });
    this.#pending = "";
  }
}
