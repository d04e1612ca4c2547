import { hostname } from "node:os";
import { DomainError, metrics } from "@parley/core";
import type { Database } from "@parley/db";
import type { ModelSpec } from "../configuration.ts";
import { buildPrompt, type Conversation, estimateTokens, type HistoryMessage } from "../history.ts";
import type { BedrockClients } from "../models.ts";
import type { ChatLogger } from "./chat-logger.ts";
import type { ChatEvent, SequencedEvent } from "./events.ts";
import { DEFAULT_TITLE, titleFrom } from "./sessions.ts";
import type { TurnBus } from "./turn-bus.ts";
import { graphForTurn, type TurnParams } from "./turn-graph.ts";
import { TurnKeeper } from "./turn-keeper.ts";
import { interruptedEvent, TurnRunner } from "./turn-runner.ts";
import { findTurn, runningTurns, startTurn } from "./turn-store.ts";
import { finalEventOf, followTurn } from "./turn-stream.ts";

export type { ChatLogger } from "./chat-logger.ts";
export type { TurnParams } from "./turn-graph.ts";

export interface ChatServiceOptions {
  db: Database;
  clients: BedrockClients;
  bus: TurnBus;
  /** The offered models; the first is the default. */
  models: ModelSpec[];
  fallbackModelId?: string | undefined;
  systemPrompt: string;
  maxMessageChars: number;
  /** Answers one user may have running at once (CHAT_MAX_CONCURRENT_TURNS). */
  maxConcurrentTurns: number;
  reservationTtlSeconds: number;
  /** Tokens arriving within this window go out as one event (fewer, larger SSE events). */
  coalesceMs: number;
  logger: ChatLogger;
  /** Answers come from the built-in fake Bedrock server (shown to users). */
  demo?: boolean | undefined;
}

export interface ActiveTurn {
  turnId: string;
  sessionId: string | null;
  modelId: string;
  startedAt: Date;
}

/**
 * Chat turns owned by the server: `send` stores the message, holds the credits and starts the
 * answer in the background; any process can `stream` it (from the start or a resume point) or
 * `stop` it through the bus; the turn keeper checkpoints running turns and recovers those of dead
 * processes.
 */
export class ChatService {
  readonly #options: ChatServiceOptions;
  readonly #runners = new Map<string, TurnRunner>();
  readonly #running = new Set<Promise<void>>();
  readonly #keeper: TurnKeeper;
  /** This process, as written into the turns it owns. */
  readonly owner = `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  #closing = false;

  constructor(options: ChatServiceOptions) {
    this.#options = options;
    this.#keeper = new TurnKeeper({
      db: options.db,
      bus: options.bus,
      owner: this.owner,
      reservationTtlSeconds: options.reservationTtlSeconds,
      logger: options.logger,
      runners: () => this.#runners.values(),
    });
    options.bus.onStop((turnId) => this.#runners.get(turnId)?.controller.abort(new Error("stopped")));
  }

  /** Starts the checkpoints and the recovery of dead processes' turns. */
  start(): void {
    this.#keeper.start();
  }

  get models(): ModelSpec[] {
    return this.#options.models;
  }

  get demo(): boolean {
    return this.#options.demo ?? false;
  }

  get maxMessageChars(): number {
    return this.#options.maxMessageChars;
  }

  /** The requested model (or the default), or BAD_REQUEST listing the ones there are. */
  modelFor(modelId?: string): ModelSpec {
    const models = this.#options.models;
    const spec = modelId ? models.find((m) => m.id === modelId) : models[0];
    if (!spec) {
      const available = models.map((m) => m.id);
      throw new DomainError(
        "BAD_REQUEST",
        `Unknown model "${modelId}". Available: ${available.join(", ")}.`,
        {
          field: "modelId",
          models: available,
        },
      );
    }
    return spec;
  }

  /**
   * Stores the user's message, holds the credits and starts the answer; returns its turn. The
   * same `clientRequestId` returns the same turn, whichever process it reaches.
   */
  async send(input: {
    userId: string;
    sessionId: string | null;
    content: string;
    modelId?: string | undefined;
    clientRequestId?: string | undefined;
  }): Promise<{ turnId: string; userMessageId: string | null }> {
    const content = this.#checkContent(input.content);
    const spec = await this.#specFor(input);
    return this.#start({ ...input, content, spec, conversation: null, params: {}, tools: true });
  }

  /**
   * A whole conversation handed over by a program (the OpenAI-compatible endpoint): nothing is
   * stored but the charge; no tools; the caller's system prompt and parameters.
   */
  async complete(input: {
    userId: string;
    conversation: Conversation;
    modelId?: string | undefined;
    params: TurnParams;
    clientRequestId?: string | undefined;
  }): Promise<{ turnId: string; spec: ModelSpec }> {
    const content = this.#checkContent(input.conversation.content);
    const spec = this.modelFor(input.modelId);
    const { turnId } = await this.#start({
      ...input,
      sessionId: null,
      content,
      spec,
      conversation: input.conversation,
      tools: false,
    });
    return { turnId, spec };
  }

  #checkContent(raw: string): string {
    if (this.#closing)
      throw new DomainError("CONFLICT", "The server is restarting. Please try again in a moment.");
    const content = raw.trim();
    if (!content) throw new DomainError("BAD_REQUEST", "The message is empty.", { field: "content" });
    if (content.length > this.#options.maxMessageChars) {
      throw new DomainError(
        "BAD_REQUEST",
        `The message is longer than ${this.#options.maxMessageChars} characters.`,
        { field: "content", maxChars: this.#options.maxMessageChars },
      );
    }
    return content;
  }

  async #start(input: {
    userId: string;
    sessionId: string | null;
    content: string;
    spec: ModelSpec;
    clientRequestId?: string | undefined;
    /** A conversation from the caller; null: the session's stored history. */
    conversation: Conversation | null;
    params: TurnParams;
    tools: boolean;
  }): Promise<{ turnId: string; userMessageId: string | null }> {
    const { spec, content, conversation } = input;
    const systemPrompt = conversation ? conversation.system : this.#options.systemPrompt;
    const maxOutputTokens = Math.min(input.params.maxTokens ?? spec.maxOutputTokens, spec.maxOutputTokens);
    const prompt = (history: HistoryMessage[]) =>
      buildPrompt({ systemPrompt, history, content, contextWindow: spec.contextWindow, maxOutputTokens });
    // A caller's conversation is trimmed here; a session's history is read (trimmed) by the database.
    const given = conversation ? prompt(conversation.history) : null;
    const fixedTokens = given?.estimate ?? estimateTokens(systemPrompt) + estimateTokens(content);
    const started = await startTurn(this.#options.db.em.fork(), {
      turnId: crypto.randomUUID(),
      userId: input.userId,
      sessionId: input.sessionId,
      content,
      modelId: spec.id,
      clientRequestId: input.clientRequestId ?? null,
      owner: this.owner,
      maxRunning: this.#options.maxConcurrentTurns,
      fixedTokens,
      historyBudget: given ? 0 : spec.contextWindow - maxOutputTokens - fixedTokens,
      maxOutputTokens,
      ttlSeconds: this.#options.reservationTtlSeconds,
      defaultTitle: DEFAULT_TITLE,
      title: titleFrom(content),
    });
    if (started.existing) return { turnId: started.turnId, userMessageId: started.userMessageId };
    metrics.credits.inc({ movement: "reserved" }, started.held);

    const { messages, estimate } = given ?? prompt(started.history);
    const { bus } = this.#options;
    const runner = new TurnRunner({
      turnId: started.turnId,
      userId: input.userId,
      sessionId: input.sessionId,
      spec,
      title: input.sessionId ? started.title : null,
      graph: graphForTurn(this.#options, {
        spec,
        userId: input.userId,
        params: input.params,
        tools: input.tools,
        price: started.price,
      }),
      prompt: messages,
      promptEstimate: estimate,
      coalesceMs: this.#options.coalesceMs,
      publish: (event) => void bus.publish(started.turnId, event),
      finish: (outcome) => this.#keeper.finish({ turnId: started.turnId, ...outcome }),
      storedEnd: () => this.#storedEnd(started.turnId),
      logger: this.#options.logger,
    });
    this.#runners.set(runner.turnId, runner);
    // Published before the id is returned, so a client that streams at once finds the stream.
    await bus.publish(runner.turnId, {
      type: "started",
      turnId: runner.turnId,
      sessionId: input.sessionId,
      userMessageId: started.userMessageId,
      modelId: spec.id,
      held: started.held,
    });
    metrics.runningTurns.inc();
    const running = runner.run().finally(() => {
      metrics.runningTurns.dec();
      this.#runners.delete(runner.turnId);
      this.#running.delete(running);
    });
    this.#running.add(running);
    return { turnId: started.turnId, userMessageId: started.userMessageId };
  }

  /**
   * The turn's events after `afterSeq` (0: from its start) until its final event; NOT_FOUND
   * (before anything streams) for another user's turn.
   */
  async openStream(
    userId: string,
    turnId: string,
    afterSeq: number,
    signal: AbortSignal,
  ): Promise<AsyncGenerator<SequencedEvent>> {
    const turn = await findTurn(this.#options.db.em.fork(), turnId);
    if (!turn || turn.userId !== userId) throw new DomainError("NOT_FOUND", "No such answer.");
    return followTurn({ bus: this.#options.bus, db: this.#options.db, turnId, afterSeq, signal });
  }

  /** Stops the turn, whichever process runs it: stored as incomplete and charged as produced. */
  async stop(userId: string, turnId: string): Promise<{ stopped: boolean }> {
    const turn = await findTurn(this.#options.db.em.fork(), turnId);
    if (!turn || turn.userId !== userId) throw new DomainError("NOT_FOUND", "No such answer.");
    if (turn.status !== "running") return { stopped: false };
    await this.#options.bus.requestStop(turnId);
    return { stopped: true };
  }

  /** Stops every running answer of the user (deactivation). */
  async stopAllOf(userId: string): Promise<number> {
    const turns = await runningTurns(this.#options.db.em.fork(), userId);
    await Promise.all(turns.map((t) => this.#options.bus.requestStop(t.id)));
    return turns.length;
  }

  /** The user's running answers, so a reloaded page or another tab can follow them. */
  async active(userId: string): Promise<ActiveTurn[]> {
    const turns = await runningTurns(this.#options.db.em.fork(), userId);
    return turns.map((t) => ({
      turnId: t.id,
      sessionId: t.sessionId,
      modelId: t.modelId,
      startedAt: t.createdAt,
    }));
  }

  /** Ends every running turn (server shutdown): each is charged for what it produced and stored. */
  async stopAll(): Promise<void> {
    this.#closing = true;
    this.#keeper.closing();
    for (const runner of this.#runners.values()) runner.controller.abort(new Error("server shutting down"));
    await Promise.allSettled([...this.#running]);
    await this.#keeper.stop();
  }

  async #storedEnd(turnId: string): Promise<ChatEvent> {
    const { db } = this.#options;
    const turn = await findTurn(db.em.fork(), turnId);
    return turn ? finalEventOf(db, turn) : interruptedEvent(0, null);
  }

  async #specFor(input: { sessionId: string | null; modelId?: string | undefined }): Promise<ModelSpec> {
    if (input.modelId || !input.sessionId) return this.modelFor(input.modelId);
    // No model asked for: the chat's own, if it is still offered.
    const [row] = await this.#options.db.em
      .fork()
      .execute<{ model_id: string }[]>("select model_id from chat_sessions where id = ?", [input.sessionId]);
    return this.#options.models.find((m) => m.id === row?.model_id) ?? this.modelFor();
  }
}
