import { t } from "@lingui/core/macro";
import type { AppRouter } from "@parley/api";
import type { TRPCClient } from "@trpc/client";
import { createContext, use, useCallback, useMemo, useSyncExternalStore } from "react";
import type { Balance, ChatEvent, ChatSettings, StreamObserver } from "../api-types.ts";
import { errorCode } from "../errors.ts";
import { failure, isBusy, type LiveTurn, newTurn, type TurnAction } from "./live-turn.ts";

export { isBusy, type LiveToolCall, type LiveTurn, type TurnAction, type TurnOutcome } from "./live-turn.ts";

export interface SendRequest {
  sessionId: string;
  /** The message (for a regeneration: the question answered again, shown meanwhile). */
  content: string;
  modelId?: string | undefined;
  /** Uploaded files and images sent with the message. */
  attachmentIds?: string[] | undefined;
  /** Ids of the messages the screen already shows (see LiveTurn.knownMessageIds). */
  knownMessageIds: ReadonlySet<string>;
  action?: TurnAction | undefined;
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
  /** Answers started with a reduced hold (their output capped), by message id: the notice stays. */
  readonly #cappedAnswers = new Map<string, number>();
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

  /** The output cap of a stored answer that was started with a reduced hold. */
  outputCapOf(messageId: string): number | undefined {
    return this.#cappedAnswers.get(messageId);
  }

  /**
   * Sends, edits or regenerates, and follows the answer. Ignored while the chat already has one
   * in progress.
   */
  send(request: SendRequest): void {
    const { sessionId, action = { kind: "send" } } = request;
    if (this.isBusy(sessionId)) return;
    this.#unsubscribers.get(sessionId)?.();
    const key = this.#nextKey++;
    const turn = newTurn(key, sessionId, request.content, request.modelId, request.knownMessageIds, false);
    this.#set(action.kind === "send" ? turn : { ...turn, action });
    void this.#sendAndFollow(request, key);
  }

  /**
   * The first message of a new chat: the server creates the chat only if it accepts the message,
   * so a refusal (thrown here) leaves nothing behind. Resolves with the new chat's id.
   */
  async startChat(request: {
    content: string;
    modelId?: string | undefined;
    attachmentIds?: string[] | undefined;
    /** The new chat's settings (a preset's), used from its first answer. */
    settings?: ChatSettings | undefined;
  }): Promise<string> {
    const input = {
      content: request.content,
      clientRequestId: crypto.randomUUID(),
      ...(request.modelId ? { modelId: request.modelId } : {}),
      ...(request.attachmentIds?.length ? { attachmentIds: request.attachmentIds } : {}),
      ...(request.settings ? { settings: request.settings } : {}),
    };
    const { turnId, sessionId } = await this.#withRetry(() =>
      this.#deps.client().sessions.send.mutate(input),
    );
    if (!sessionId) throw new Error(t`The chat could not be created.`);
    const key = this.#nextKey++;
    this.#set({ ...newTurn(key, sessionId, request.content, request.modelId, new Set(), false), turnId });
    this.#followTurn(sessionId, key, turnId);
    return sessionId;
  }

  /** Once more when the connection failed (no typed error): the same clientRequestId, one turn. */
  #withRetry<T>(call: () => Promise<T>): Promise<T> {
    return call().catch((error: unknown) => (errorCode(error) === null ? call() : Promise.reject(error)));
  }

  /** Follows an answer that is already being written (found by `sessions.active`). */
  attach(turn: { turnId: string; sessionId: string; modelId: string }): void {
    const current = this.#turns.get(turn.sessionId);
    if (current?.turnId === turn.turnId || (current && isBusy(current))) return;
    const key = this.#nextKey++;
    this.#set({ ...newTurn(key, turn.sessionId, "", turn.modelId, new Set(), true), turnId: turn.turnId });
    this.#followTurn(turn.sessionId, key, turn.turnId);
  }

  async #sendAndFollow(request: SendRequest, key: number): Promise<void> {
    const { sessionId } = request;
    // One id per message: a retried request (a dropped connection) cannot send it twice.
    const common = {
      clientRequestId: crypto.randomUUID(),
      ...(request.modelId ? { modelId: request.modelId } : {}),
    };
    const { sessions } = this.#deps.client();
    const action = request.action ?? { kind: "send" };
    if (action.kind === "send") {
      // The message and its answer in one exchange; `started` brings the turn's id.
      const files = request.attachmentIds?.length ? { attachmentIds: request.attachmentIds } : {};
      const input = { ...common, ...files, sessionId, content: request.content };
      this.#follow(sessionId, key, (callbacks) => sessions.sendAndStream.subscribe(input, callbacks));
      return;
    }
    // An edited or regenerated question keeps its own uploads.
    const call = () =>
      action.kind === "edit"
        ? sessions.edit.mutate({ ...common, messageId: action.messageId, content: request.content })
        : sessions.regenerate.mutate({ ...common, messageId: action.messageId });
    let turnId: string;
    try {
      ({ turnId } = await this.#withRetry(call));
    } catch (error) {
      this.#update(sessionId, key, (turn) => ({ ...turn, outcome: failure(error) }));
      await this.#settle(sessionId, key, null);
      return;
    }
    this.#update(sessionId, key, (turn) => ({ ...turn, turnId }));
    if (this.#turns.get(sessionId)?.key === key) this.#followTurn(sessionId, key, turnId);
  }

  #followTurn(sessionId: string, key: number, turnId: string): void {
    this.#follow(sessionId, key, (callbacks) =>
      this.#deps.client().sessions.stream.subscribe({ turnId }, callbacks),
    );
  }

  /**
   * Follows an answer's events, from `sessions.stream` or `sessions.sendAndStream`; the link
   * resumes after the last one when the connection drops. A refusal before the first event (no
   * credits, too many answers) is the subscription's error.
   */
  #follow(
    sessionId: string,
    key: number,
    open: (callbacks: StreamObserver) => { unsubscribe(): void },
  ): void {
    let settled = false;
    const subscription = open({
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
        this.#update(sessionId, key, (turn) => ({ ...turn, outcome: failure(error) }));
        void this.#settle(sessionId, key, null);
      },
      onComplete: () => {
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
    });
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
      if (turn.turnId)
        ({ stopped } = await this.#deps.client().sessions.stop.mutate({ turnId: turn.turnId }));
    } catch {
      // Could not reach the server: the answer goes on there, and the stream shows it.
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

  /** Stops listening to every stream (sign-out, unmount). Running answers go on on the server. */
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
            turnId: event.turnId,
            userMessageId: event.userMessageId,
            modelId: event.modelId,
            held: event.held,
            outputCap: event.outputCap,
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
          if (event.messageId && turn.outputCap !== null)
            this.#cappedAnswers.set(event.messageId, turn.outputCap);
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
