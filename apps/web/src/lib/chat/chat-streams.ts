import type { AppRouter } from "@parley/api";
import type { TRPCClient } from "@trpc/client";
import { createContext, use, useCallback, useMemo, useSyncExternalStore } from "react";
import type { Balance, ChatEvent } from "../api-types.ts";
import { errorCode, errorMessage } from "../errors.ts";

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
  stopping: boolean;
  outcome: TurnOutcome | null;
}

export interface SendRequest {
  sessionId: string;
  content: string;
  modelId?: string | undefined;
  /** Ids of the messages the screen already shows (see LiveTurn.knownMessageIds). */
  knownMessageIds: ReadonlySet<string>;
}

/** What the store needs from the app: the tRPC client and cache refreshes. */
export interface ChatStreamsDeps {
  client: () => TRPCClient<AppRouter>;
  /** The answer started: credits are now held. */
  onStarted: (sessionId: string) => void;
  /** The answer is over: refetch what it changed. Resolves once the fresh data is in. */
  onSettled: (sessionId: string, balance: Balance | null) => Promise<void>;
}

type Listener = () => void;

export class ChatStreams {
  #turns = new Map<string, LiveTurn>();
  #unsubscribers = new Map<string, () => void>();
  #listeners = new Set<Listener>();
  #nextKey = 1;
  readonly #deps: ChatStreamsDeps;

  constructor(deps: ChatStreamsDeps) {
    this.#deps = deps;
  }

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  get(sessionId: string | undefined): LiveTurn | undefined {
    return sessionId ? this.#turns.get(sessionId) : undefined;
  }

  /** Chats with an answer being written, for the sidebar's indicator. */
  busySessionIds(): string[] {
    return [...this.#turns.values()].filter((t) => isBusy(t)).map((t) => t.sessionId);
  }

  isBusy(sessionId: string): boolean {
    const turn = this.#turns.get(sessionId);
    return turn ? isBusy(turn) : false;
  }

  /** Sends a message and follows its answer. Ignored while the chat already has one in progress. */
  send(request: SendRequest): void {
    const { sessionId } = request;
    if (this.isBusy(sessionId)) return;
    this.#unsubscribers.get(sessionId)?.();
    const key = this.#nextKey++;
    this.#set({
      key,
      sessionId,
      content: request.content,
      modelId: request.modelId,
      knownMessageIds: request.knownMessageIds,
      phase: "sending",
      connected: true,
      userMessageId: null,
      text: "",
      toolCalls: [],
      usage: null,
      held: 0,
      stopping: false,
      outcome: null,
    });

    let settled = false;
    const subscription = this.#deps.client().sessions.send.subscribe(
      { sessionId, content: request.content, ...(request.modelId ? { modelId: request.modelId } : {}) },
      {
        onData: (envelope) => {
          if (settled) return;
          const event = envelope.data;
          this.#apply(sessionId, key, event);
          if (event.type === "done" || event.type === "error") {
            settled = true;
            subscription.unsubscribe();
            void this.#settle(sessionId, key, event.type === "done" ? event.balance : null);
          }
        },
        onError: (error) => {
          if (settled) return;
          settled = true;
          this.#update(sessionId, key, (turn) => ({
            ...turn,
            outcome: {
              kind: "error",
              code: errorCode(error) ?? "NETWORK",
              message: errorMessage(error),
              messageId: null,
              creditsCharged: 0,
              available: undefined,
            },
          }));
          void this.#settle(sessionId, key, null);
        },
        onComplete: () => {
          // The server ends the stream right after done/error; an end without either (a resumed
          // stream that had already finished) still means the chat must be refetched.
          if (settled) return;
          settled = true;
          void this.#settle(sessionId, key, null);
        },
        onConnectionStateChange: (state) => {
          if (settled) return;
          const connected = state.state !== "connecting" || state.error === null;
          this.#update(sessionId, key, (turn) =>
            turn.connected === connected ? turn : { ...turn, connected },
          );
        },
      },
    );
    this.#unsubscribers.set(sessionId, () => {
      settled = true;
      subscription.unsubscribe();
    });
  }

  /** Asks the server to end the answer; it arrives as a `done` event with status incomplete. */
  async stop(sessionId: string): Promise<void> {
    const turn = this.#turns.get(sessionId);
    if (!turn || !isBusy(turn) || turn.stopping) return;
    this.#update(sessionId, turn.key, (t) => ({ ...t, stopping: true }));
    let stopped = false;
    try {
      ({ stopped } = await this.#deps.client().sessions.stop.mutate({ sessionId }));
    } catch {
      // Could not reach the server: dropping the connection ends the answer too (after a grace period).
    }
    if (stopped) return;
    const current = this.#turns.get(sessionId);
    if (current?.key !== turn.key || !isBusy(current)) return;
    // Nothing was running on the server any more: stop listening and show what it stored.
    this.#unsubscribers.get(sessionId)?.();
    await this.#settle(sessionId, turn.key, null);
  }

  /** Forgets a settled turn's error once the person has read it. */
  dismiss(sessionId: string): void {
    const turn = this.#turns.get(sessionId);
    if (turn && !isBusy(turn)) this.#delete(sessionId);
  }

  /** Stops listening to every stream (sign-out, unmount). Running answers end after the grace period. */
  close(): void {
    for (const unsubscribe of this.#unsubscribers.values()) unsubscribe();
    this.#unsubscribers.clear();
    this.#turns = new Map();
    this.#emit();
  }

  #apply(sessionId: string, key: number, event: ChatEvent): void {
    this.#update(sessionId, key, (turn) => {
      switch (event.type) {
        case "started":
          this.#deps.onStarted(sessionId);
          return {
            ...turn,
            phase: "streaming",
            userMessageId: event.userMessageId,
            modelId: event.modelId,
            held: event.held,
          };
        case "token":
          return { ...turn, phase: "streaming", text: turn.text + event.text };
        case "toolCall":
          return {
            ...turn,
            toolCalls: [
              ...turn.toolCalls,
              { id: event.id, name: event.name, args: event.args, result: null },
            ],
          };
        case "toolResult":
          return {
            ...turn,
            toolCalls: turn.toolCalls.map((call) =>
              call.id === event.id ? { ...call, result: event.result } : call,
            ),
          };
        case "usage":
          return { ...turn, usage: { inputTokens: event.inputTokens, outputTokens: event.outputTokens } };
        case "done":
          return {
            ...turn,
            // The stored answer is the reference; a resumed stream may have started mid-answer.
            text: event.content,
            outcome: {
              kind: "done",
              status: event.status,
              messageId: event.messageId,
              creditsCharged: event.creditsCharged,
            },
          };
        case "error":
          return {
            ...turn,
            outcome: {
              kind: "error",
              code: event.code,
              message: event.message,
              messageId: event.messageId,
              creditsCharged: event.creditsCharged,
              available: event.available,
            },
          };
      }
      return turn;
    });
  }

  async #settle(sessionId: string, key: number, balance: Balance | null): Promise<void> {
    this.#unsubscribers.delete(sessionId);
    this.#update(sessionId, key, (turn) => ({
      ...turn,
      phase: "settling",
      stopping: false,
      connected: true,
    }));
    try {
      await this.#deps.onSettled(sessionId, balance);
    } finally {
      const turn = this.#turns.get(sessionId);
      if (turn?.key === key) {
        // A finished answer is now in the refetched chat; only an error is still worth showing.
        if (turn.outcome?.kind === "error") this.#set({ ...turn, phase: "settled" });
        else this.#delete(sessionId);
      }
    }
  }

  #update(sessionId: string, key: number, change: (turn: LiveTurn) => LiveTurn): void {
    const turn = this.#turns.get(sessionId);
    if (turn?.key !== key) return;
    const next = change(turn);
    if (next !== turn) this.#set(next);
  }

  #set(turn: LiveTurn): void {
    // A new map each time, so snapshots of other chats keep their identity.
    this.#turns = new Map(this.#turns).set(turn.sessionId, turn);
    this.#emit();
  }

  #delete(sessionId: string): void {
    const next = new Map(this.#turns);
    next.delete(sessionId);
    this.#turns = next;
    this.#emit();
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}

export function isBusy(turn: LiveTurn): boolean {
  return turn.phase === "sending" || turn.phase === "streaming";
}

export const ChatStreamsContext = createContext<ChatStreams | null>(null);

export function useChatStreams(): ChatStreams {
  const streams = use(ChatStreamsContext);
  if (!streams) throw new Error("useChatStreams must be used below AppLayout.");
  return streams;
}

/** The live turn of one chat, re-rendering only when that chat's turn changes. */
export function useLiveTurn(sessionId: string | undefined): LiveTurn | undefined {
  const streams = useChatStreams();
  const getSnapshot = useCallback(() => streams.get(sessionId), [streams, sessionId]);
  return useSyncExternalStore(streams.subscribe, getSnapshot);
}

/** Ids of the chats with an answer in progress (a stable string, so no re-render per token). */
export function useBusySessionIds(): ReadonlySet<string> {
  const streams = useChatStreams();
  const key = useSyncExternalStore(streams.subscribe, () => streams.busySessionIds().sort().join(","));
  return useMemo(() => new Set(key ? key.split(",") : []), [key]);
}
