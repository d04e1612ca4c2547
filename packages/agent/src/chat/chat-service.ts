import { hostname } from "node:os";
import { DomainError } from "@parley/core";
import { type PreparedStatement, queryPrepared } from "@parley/db";
import { isStorableText } from "@parley/validators";
import { Attachments, DEFAULT_ATTACHMENT_SETTINGS } from "../attachments/attachments.ts";
import type { ModelSpec } from "../configuration.ts";
import { buildChatGraph } from "../graph.ts";
import type { Conversation } from "../history.ts";
import { type BranchMessage, branchMessage } from "./branches.ts";
import type { ChatServiceOptions } from "./chat-options.ts";
import { type ChatSettings, checkChatSettings } from "./chat-settings.ts";
import type { SequencedEvent } from "./events.ts";
import { LocalTurns } from "./local-turns.ts";
import { ModelCatalog } from "./model-catalog.ts";
import type { TurnParams } from "./turn-graph.ts";
import { TurnKeeper } from "./turn-keeper.ts";
import { type Placement, type StartedAnswer, TurnStarter } from "./turn-starter.ts";
import { findTurn, runningTurns } from "./turn-store.ts";
import { followTurn } from "./turn-stream.ts";

export type { ChatLogger } from "./chat-logger.ts";
export type { ChatServiceOptions } from "./chat-options.ts";
export type { TurnParams } from "./turn-graph.ts";
export type { StartedAnswer } from "./turn-starter.ts";

/** A chat's model, read before a send that names none: prepared, as it comes before every such answer. */
const CHAT_MODEL: PreparedStatement = {
  name: "parley_chat_model",
  text: "select model_id from chat_sessions where id = $1",
};

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
  readonly #turns = new LocalTurns();
  readonly #catalog: ModelCatalog;
  readonly #keeper: TurnKeeper;
  readonly #starter: TurnStarter;
  /** This process, as written into the turns it owns. */
  readonly owner = `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  /** Files and images: upload, read back, and what a send carries. */
  readonly attachments: Attachments;
  #closing = false;

  constructor(options: ChatServiceOptions) {
    this.#options = options;
    this.#catalog = new ModelCatalog(options.models);
    this.attachments = new Attachments(options.db, options.attachments ?? DEFAULT_ATTACHMENT_SETTINGS);
    this.#keeper = new TurnKeeper({
      db: options.db,
      bus: options.bus,
      owner: this.owner,
      reservationTtlSeconds: options.reservationTtlSeconds,
      logger: options.logger,
      runners: () => this.#turns.values(),
    });
    this.#starter = new TurnStarter({
      options,
      owner: this.owner,
      // Compiled once: each turn's models and parameters travel in its config.
      graph: buildChatGraph(),
      turns: this.#turns,
      keeper: this.#keeper,
      attachments: this.attachments,
      catalog: this.#catalog,
    });
    options.bus.onStop((turnId) => this.#turns.get(turnId)?.controller.abort(new Error("stopped")));
  }

  /** Starts the checkpoints and the recovery of dead processes' turns. */
  start(): void {
    this.#keeper.start();
    this.attachments.startSweeping((err) =>
      this.#options.logger.warn({ err }, "unsent-attachment sweep failed"),
    );
  }

  get models(): ModelSpec[] {
    return this.#catalog.models;
  }

  get demo(): boolean {
    return this.#options.demo ?? false;
  }

  get maxMessageChars(): number {
    return this.#options.maxMessageChars;
  }

  get maxAnswerTokens(): number {
    return this.#catalog.maxAnswerTokens;
  }

  modelFor(modelId?: string): ModelSpec {
    return this.#catalog.modelFor(modelId);
  }

  minAnswerTokens(spec?: ModelSpec): number {
    return this.#catalog.minAnswerTokens(spec);
  }

  /**
   * Stores the user's message at the end of the chat's active branch, holds the credits and starts
   * the answer; returns its turn. The same `clientRequestId` returns the same turn, whichever
   * process it reaches. `newSession`: the chat is created with this message, only if it is accepted.
   */
  async send(input: {
    userId: string;
    sessionId: string | null;
    newSession?: boolean | undefined;
    content: string;
    modelId?: string | undefined;
    clientRequestId?: string | undefined;
    /** Uploads (POST /api/attachments) to send with the message. */
    attachmentIds?: string[] | undefined;
    /**
     * The new chat's settings (a preset's), in effect from its first answer; only with
     * `newSession`: an existing chat's change with `updateSession`.
     */
    settings?: Partial<ChatSettings> | undefined;
    /** The caller streams the answer in the same response (`sessions.sendAndStream`). */
    followedHere?: boolean | undefined;
  }): Promise<StartedAnswer> {
    const content = this.#checkContent(input.content);
    const { settings } = input;
    if (settings && !input.newSession) {
      throw new DomainError(
        "BAD_REQUEST",
        "Settings go with a new chat; change a chat's with sessions.update.",
        {
          field: "settings",
        },
      );
    }
    if (settings) checkChatSettings(settings, this.maxAnswerTokens);
    const spec = await this.#specFor(input);
    // Checked before anything is held: a refusal here costs nothing.
    const attachments = await this.attachments.forSend(input.userId, input.attachmentIds ?? [], spec);
    return this.#starter.start({
      ...input,
      content,
      spec,
      conversation: null,
      // The hold follows the settings' answer length, as it follows a stored chat's.
      params: settings?.maxTokens ? { maxTokens: settings.maxTokens } : {},
      tools: true,
      attachments,
      newChatSettings: settings,
    });
  }

  /** A new version of one of the user's questions (its sibling), answered on a new branch. */
  async edit(input: {
    userId: string;
    messageId: string;
    content: string;
    modelId?: string | undefined;
    clientRequestId?: string | undefined;
  }): Promise<StartedAnswer> {
    const content = this.#checkContent(input.content);
    const target = await branchMessage(this.#options.db.em.fork(), input.userId, input.messageId);
    if (target.role !== "user") {
      throw new DomainError(
        "BAD_REQUEST",
        "Only your own messages can be edited; regenerate an answer instead.",
        {
          field: "messageId",
        },
      );
    }
    // The new version keeps the edited question's files.
    return this.#answerAgain(input, target, content, { editOf: target.id });
  }

  /**
   * Answers a question again: for an answer, a new version of it (its sibling); for a question
   * left without an answer, its answer. The question is not stored again.
   */
  async regenerate(input: {
    userId: string;
    messageId: string;
    modelId?: string | undefined;
    clientRequestId?: string | undefined;
  }): Promise<StartedAnswer> {
    const target = await branchMessage(this.#options.db.em.fork(), input.userId, input.messageId);
    const content = this.#checkContent(target.question);
    return this.#answerAgain(input, target, content, { regenerateOf: target.id });
  }

  /** Starts an answer to a stored question's new version or to the question itself, with its files. */
  async #answerAgain(
    input: { userId: string; modelId?: string | undefined; clientRequestId?: string | undefined },
    target: BranchMessage,
    content: string,
    placement: Placement,
  ): Promise<StartedAnswer> {
    const [spec, attachments] = await Promise.all([
      this.#specFor({ sessionId: target.sessionId, modelId: input.modelId }),
      this.attachments.ofQuestion(target.questionId),
    ]);
    return this.#starter.start({
      ...input,
      ...placement,
      sessionId: target.sessionId,
      content,
      spec,
      conversation: null,
      params: {},
      tools: true,
      attachments,
    });
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
    const { turnId } = await this.#starter.start({
      ...input,
      sessionId: null,
      content,
      spec,
      conversation: input.conversation,
      tools: false,
      attachments: [],
      // The OpenAI-compatible endpoint answers in the same response, streamed or whole.
      followedHere: true,
    });
    return { turnId, spec };
  }

  #checkContent(raw: string): string {
    if (this.#closing)
      throw new DomainError("CONFLICT", "The server is restarting. Please try again in a moment.");
    const content = raw.trim();
    if (!content) throw new DomainError("BAD_REQUEST", "The message is empty.", { field: "content" });
    // The message is stored (parley_start_turn). The API's schemas refuse such text already; the
    // OpenAI-compatible endpoint's messages reach here unchecked, and a NUL was a database error.
    if (!isStorableText(content)) {
      throw new DomainError(
        "BAD_REQUEST",
        "The message must not contain NUL characters or unpaired surrogates.",
        { field: "content" },
      );
    }
    if (content.length > this.#options.maxMessageChars) {
      throw new DomainError(
        "BAD_REQUEST",
        `The message is longer than ${this.#options.maxMessageChars} characters.`,
        { field: "content", maxChars: this.#options.maxMessageChars },
      );
    }
    return content;
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
    // A turn this process runs is checked in memory: no query between the send and the first token.
    const owner =
      this.#turns.get(turnId)?.userId ?? (await findTurn(this.#options.db.em.fork(), turnId))?.userId;
    if (owner !== userId) throw new DomainError("NOT_FOUND", "No such answer.");
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
    this.attachments.stopSweeping();
    await this.#turns.abortAll(new Error("server shutting down"));
    await this.#keeper.stop();
  }

  async #specFor(input: { sessionId: string | null; modelId?: string | undefined }): Promise<ModelSpec> {
    if (input.modelId || !input.sessionId) return this.modelFor(input.modelId);
    // No model asked for: the chat's own, if it is still offered.
    const [row] = await queryPrepared<{ model_id: string }>(this.#options.db.em.fork(), CHAT_MODEL, [
      input.sessionId,
    ]);
    return this.#catalog.offeredOr(row?.model_id);
  }
}
