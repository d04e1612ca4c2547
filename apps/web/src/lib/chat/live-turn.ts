import { errorCode, errorMessage } from "../errors.ts";

/**
 * What a turn does to the chat's tree: a message at the end of the branch, a new version of a
 * question (edit), or a new answer to a question (regenerate). `cutAfter`: the last message shown
 * above the turn meanwhile (null: none), so the replaced version disappears at once.
 */
export type TurnAction =
  | { kind: "send" }
  | { kind: "edit"; messageId: string; cutAfter: string | null }
  | { kind: "regenerate"; messageId: string; cutAfter: string | null };

export interface LiveToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** Null while the tool runs. */
  result: string | null;
}

export type TurnOutcome =
  | {
      kind: "done";
      status: "complete" | "incomplete";
      messageId: string | null;
      creditsCharged: number;
    }
  | {
      kind: "error";
      code: string;
      message: string;
      messageId: string | null;
      creditsCharged: number;
      available: number | undefined;
    };

/**
 * One answer being produced, as the screen sees it. Kept outside React components (in a store
 * provided by the app layout), so it survives navigating from the new-chat page to the chat it
 * created, or to another screen and back, while it streams.
 */
export interface LiveTurn {
  /** Distinguishes two turns of the same chat (React keys, stale callbacks). */
  key: number;
  sessionId: string;
  /** The server's turn, once `sessions.send` has accepted the message. */
  turnId: string | null;
  /**
   * Joined after it started (a reload, another tab): the stored chat already has the question,
   * and only the answer's own id tells when the stored chat has the answer.
   */
  attached: boolean;
  /** The user's message, shown at once (before the server has stored it). */
  content: string;
  modelId: string | undefined;
  /**
   * The chat's stored messages when this was sent: any other stored message is this turn's, so the
   * screen can tell when the refetched chat holds what the turn shows, whatever ids it lacks.
   */
  knownMessageIds: ReadonlySet<string>;
  /**
   * sending: waiting for the server to accept it; streaming: tokens arriving; settling: the answer
   * is over and the chat, list and balance are being refetched; settled: only an error remains.
   */
  phase: "sending" | "streaming" | "settling" | "settled";
  /** False while the connection is down and the EventSource is reconnecting. */
  connected: boolean;
  userMessageId: string | null;
  text: string;
  toolCalls: LiveToolCall[];
  usage: { inputTokens: number; outputTokens: number } | null;
  /** Credits held for this answer while it is written. */
  held: number;
  /** Set when the balance held less than the model's full output: the answer may be cut short. */
  outputCap: number | null;
  /** An edit or a regeneration (absent: a new message). */
  action?: Exclude<TurnAction, { kind: "send" }>;
  stopping: boolean;
  outcome: TurnOutcome | null;
}

export function newTurn(
  key: number,
  sessionId: string,
  content: string,
  modelId: string | undefined,
  knownMessageIds: ReadonlySet<string>,
  attached: boolean,
): LiveTurn {
  return {
    key,
    sessionId,
    turnId: null,
    attached,
    content,
    modelId,
    knownMessageIds,
    phase: attached ? "streaming" : "sending",
    connected: true,
    userMessageId: null,
    text: "",
    toolCalls: [],
    usage: null,
    held: 0,
    outputCap: null,
    stopping: false,
    outcome: null,
  };
}

export function failure(error: unknown): TurnOutcome {
  return {
    kind: "error",
    code: errorCode(error) ?? "NETWORK",
    message: errorMessage(error),
    messageId: null,
    creditsCharged: 0,
    available: availableOf(error),
  };
}

/** The credits available, from a PAYMENT_REQUIRED refusal's detail. */
function availableOf(error: unknown): number | undefined {
  const data = (error as { data?: { detail?: { available?: unknown } | null } }).data;
  return typeof data?.detail?.available === "number" ? data.detail.available : undefined;
}

export function isBusy(turn: LiveTurn): boolean {
  return turn.phase === "sending" || turn.phase === "streaming";
}
