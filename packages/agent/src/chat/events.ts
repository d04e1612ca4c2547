import type { Balance } from "@parley/accounting";

/**
 * What a client receives while an answer is produced (the `sessions.stream` subscription). Every
 * stream ends with exactly one final event: `done` or `error`.
 */
export type ChatEvent =
  | {
      type: "started";
      turnId: string;
      sessionId: string | null;
      userMessageId: string | null;
      modelId: string;
      /** Credits held for this answer while it is written. */
      held: number;
      /**
       * Set when the balance could not hold the model's full output: the answer stops after this
       * many tokens (it may be cut short). Null: the full output was held.
       */
      outputCap: number | null;
    }
  | { type: "token"; text: string }
  | { type: "toolCall"; id: string; name: string; args: Record<string, unknown> }
  | { type: "toolResult"; id: string; name: string; result: string }
  | { type: "usage"; inputTokens: number; outputTokens: number }
  | {
      type: "done";
      messageId: string | null;
      content: string;
      status: "complete" | "incomplete";
      creditsCharged: number;
      balance: Balance;
      title: string | null;
    }
  | {
      type: "error";
      code: string;
      message: string;
      messageId: string | null;
      creditsCharged: number;
      available?: number | undefined;
    };

/** An event with its place in the turn's stream (1, 2, …): what a resuming client sends back. */
export interface SequencedEvent {
  seq: number;
  event: ChatEvent;
}

export const isFinal = (event: ChatEvent): boolean => event.type === "done" || event.type === "error";
