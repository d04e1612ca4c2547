import type { BaseMessage } from "@langchain/core/messages";
import { metrics } from "@parley/core";
import type { Attachments } from "../attachments/attachments.ts";
import type { StoredAttachment } from "../attachments/store.ts";
import type { ModelSpec } from "../configuration.ts";
import type { ChatGraph } from "../graph.ts";
import { buildPrompt, type Conversation, estimateTokens, messageTokens } from "../history.ts";
import type { ChatServiceOptions } from "./chat-options.ts";
import { type ChatSettings, updateSession } from "./chat-settings.ts";
import type { ChatEvent } from "./events.ts";
import type { LocalTurns } from "./local-turns.ts";
import type { ModelCatalog } from "./model-catalog.ts";
import { DEFAULT_TITLE, titleFrom } from "./sessions.ts";
import { coalesceWindowMs } from "./transcript.ts";
import { chatTurnFor, type TurnParams } from "./turn-graph.ts";
import type { TurnKeeper } from "./turn-keeper.ts";
import { interruptedEvent, TurnRunner } from "./turn-runner.ts";
import { findTurn, type StartedTurn, startTurn } from "./turn-store.ts";
import { finalEventOf } from "./turn-stream.ts";

/** What starting an answer returns: its turn, the question it answers and the chat it is in. */
export interface StartedAnswer {
  turnId: string;
  userMessageId: string | null;
  sessionId: string | null;
}

/** Where the question of a turn goes in the chat's tree (see parley_start_turn). */
export interface Placement {
  /** Create the chat with this first message. */
  newSession?: boolean | undefined;
  editOf?: string | undefined;
  regenerateOf?: string | undefined;
}

/** A turn to start: the question, where it goes, the model and how it is asked. */
export type StartInput = Placement & {
  userId: string;
  sessionId: string | null;
  content: string;
  spec: ModelSpec;
  clientRequestId?: string | undefined;
  /** A conversation from the caller; null: the session's stored history. */
  conversation: Conversation | null;
  params: TurnParams;
  tools: boolean;
  /**
   * The question's files and images: new uploads (checked by Attachments.forSend), or for an edit
   * or a regeneration the files the question already has.
   */
  attachments: StoredAttachment[];
  /** Settings the chat this turn creates is stored with (see `send`). */
  newChatSettings?: Partial<ChatSettings> | undefined;
  /** The caller streams the answer in the same response (see `TurnStarter.start`). */
  followedHere?: boolean | undefined;
};

/** What the chat service shares with the turns it starts. */
export interface TurnStarterParts {
  options: ChatServiceOptions;
  /** This process, as written into the turns it owns. */
  owner: string;
  graph: ChatGraph;
  turns: LocalTurns;
  keeper: TurnKeeper;
  attachments: Attachments;
  catalog: ModelCatalog;
}

/**
 * Starts turns: one `parley_start_turn` call stores the question, holds the credits and returns
 * the chat's history; the answer then runs in the background (a TurnRunner), once its `started`
 * event is published. The same `clientRequestId` finds the turn it started before.
 */
export class TurnStarter {
  readonly #options: ChatServiceOptions;
  readonly #parts: TurnStarterParts;

  constructor(parts: TurnStarterParts) {
    this.#options = parts.options;
    this.#parts = parts;
  }

  async start(input: StartInput): Promise<StartedAnswer> {
    const { spec, content, conversation, attachments } = input;
    const systemPrompt = conversation ? conversation.system : this.#options.systemPrompt;
    const maxOutputTokens = Math.min(input.params.maxTokens ?? spec.maxOutputTokens, spec.maxOutputTokens);
    // A caller's conversation is trimmed here; a session's history is read (trimmed) by the database.
    const given = conversation
      ? buildPrompt({
          systemPrompt,
          history: conversation.history,
          content,
          attachments,
          contextWindow: spec.contextWindow,
          maxOutputTokens,
        })
      : null;
    const newChatPrompt = input.newChatSettings?.systemPrompt;
    const fixedTokens =
      given?.estimate ??
      estimateTokens(systemPrompt) +
        (newChatPrompt ? estimateTokens(newChatPrompt) : 0) +
        messageTokens({ role: "user", content, attachments });
    const started = await startTurn(this.#options.db.em.fork(), {
      turnId: crypto.randomUUID(),
      userId: input.userId,
      sessionId: input.sessionId,
      content,
      modelId: spec.id,
      clientRequestId: input.clientRequestId ?? null,
      owner: this.#parts.owner,
      maxRunning: this.#options.maxConcurrentTurns,
      fixedTokens,
      historyBudget: given ? 0 : spec.contextWindow - maxOutputTokens - fixedTokens,
      maxOutputTokens,
      ttlSeconds: this.#options.reservationTtlSeconds,
      defaultTitle: DEFAULT_TITLE,
      title: titleFrom(content),
      newSession: input.sessionId === null && (input.newSession ?? false),
      editOf: input.editOf ?? null,
      regenerateOf: input.regenerateOf ?? null,
      minOutputTokens: Math.min(this.#parts.catalog.minAnswerTokens(spec), maxOutputTokens),
      // Only new uploads are linked; an edited question's files are copied by the database.
      attachmentIds: input.editOf || input.regenerateOf ? [] : attachments.map((a) => a.id),
    });
    const { turnId, userMessageId } = started;
    const sessionId = started.sessionId ?? null;
    if (!started.existing) {
      metrics.credits.inc({ movement: "reserved" }, started.held);
      const withSettings = await this.#storeNewChatSettings(input, started);
      await this.#launch(input, withSettings, systemPrompt, given);
      // When the answer streams in this response, the event loop turns once before the caller
      // sets the response up: in that turn the graph reaches the model node and the Bedrock
      // request goes out (all microtasks), so the response's set-up overlaps the wait for the first
      // token instead of coming before the request (single-stream TTFT, bench:stream: 1–3 ms).
      // Not when the caller answers with the turn id: a client that opens the stream elsewhere
      // should have it at once.
      if (input.followedHere) await new Promise((resolve) => setImmediate(resolve));
    }
    return { turnId, userMessageId, sessionId };
  }

  /**
   * Stores the settings a new chat is sent with, before its first answer runs; the answer takes
   * them, its length within what was held.
   */
  async #storeNewChatSettings(
    input: StartInput,
    started: Extract<StartedTurn, { existing: false }>,
  ): Promise<Extract<StartedTurn, { existing: false }>> {
    const settings = input.newChatSettings;
    if (!settings || !started.sessionId) return started;
    try {
      const saved = await updateSession(this.#options.db.em.fork(), {
        userId: input.userId,
        sessionId: started.sessionId,
        ...settings,
        maxAnswerTokens: this.#parts.catalog.maxAnswerTokens,
      });
      const { systemPrompt, temperature } = saved.settings;
      return { ...started, settings: { ...started.settings, systemPrompt, temperature } };
    } catch (error) {
      // The credits are held and the message stored: the answer runs (and is settled) without them.
      this.#options.logger.error({ err: error, turnId: started.turnId }, "new chat's settings not stored");
      return started;
    }
  }

  /** Runs a started turn's answer in the background, once its `started` event is published. */
  async #launch(
    input: StartInput,
    started: Extract<StartedTurn, { existing: false }>,
    systemPrompt: string,
    given: { messages: BaseMessage[]; estimate: number } | null,
  ): Promise<void> {
    const { spec, content, attachments } = input;
    const sessionId = started.sessionId ?? null;
    // The chat's settings came back with its history: its instructions follow the server's.
    const { settings } = started;
    const params: TurnParams = {
      ...input.params,
      // The held output (a small balance holds less): the charge stays within the hold.
      maxTokens: settings.maxTokens,
      ...(settings.temperature === null ? {} : { temperature: settings.temperature }),
    };
    const { messages, estimate } =
      given ??
      buildPrompt({
        systemPrompt: settings.systemPrompt ? `${systemPrompt}\n\n${settings.systemPrompt}` : systemPrompt,
        history: await this.#parts.attachments.withAttachments(started.history),
        content,
        attachments,
        contextWindow: spec.contextWindow,
        maxOutputTokens: settings.maxTokens,
      });
    const { bus } = this.#options;
    const runner = new TurnRunner({
      turnId: started.turnId,
      userId: input.userId,
      sessionId,
      spec,
      title: sessionId ? started.title : null,
      graph: this.#parts.graph,
      turn: chatTurnFor(this.#options, {
        spec,
        userId: input.userId,
        params,
        tools: input.tools,
        price: started.price,
      }),
      prompt: messages,
      promptEstimate: estimate,
      coalesceWindowMs: () =>
        coalesceWindowMs(this.#options.coalesceMs, this.#parts.turns.size, this.#options.processesOnMachine),
      publish: (event) => void bus.publish(started.turnId, event),
      finish: (outcome) =>
        this.#parts.keeper.finish({ ...outcome, turnId: started.turnId, userId: input.userId }),
      storedEnd: () => this.#storedEnd(started.turnId),
      logger: this.#options.logger,
    });
    // Published before the id is returned, so a client that streams at once finds the stream.
    await this.#parts.turns.start(runner, () =>
      bus.publish(runner.turnId, {
        type: "started",
        turnId: runner.turnId,
        sessionId,
        userMessageId: started.userMessageId,
        modelId: spec.id,
        held: started.held,
        outputCap: started.outputCap,
      }),
    );
  }

  async #storedEnd(turnId: string): Promise<ChatEvent> {
    const { db } = this.#options;
    const turn = await findTurn(db.em.fork(), turnId);
    return turn ? finalEventOf(db, turn) : interruptedEvent(0, null);
  }
}
