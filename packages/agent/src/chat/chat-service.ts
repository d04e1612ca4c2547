import type { AIMessage, AIMessageChunk, BaseMessage, ToolMessage } from "@langchain/core/messages";
import {
  abortReservation,
  finalizeReservation,
  getBalance,
  initializeReservation,
  usageStats,
} from "@parley/accounting";
import { DomainError } from "@parley/core";
import { ChatMessage, ChatSession, type Database, type StoredToolCall } from "@parley/db";
import type { ModelSpec } from "../configuration.ts";
import type { ModelFailure } from "../errors.ts";
import { buildTurnGraph, type TurnPorts } from "../graph.ts";
import { type HistoryMessage, textOf } from "../history.ts";
import type { BedrockClients } from "../models.ts";
import type { TokenUsage } from "../state.ts";
import { createTools } from "../tools.ts";
import { DEFAULT_TITLE, ownedSession, titleFrom } from "./sessions.ts";
import { type ChatEvent, Turn } from "./turn.ts";

export interface ChatLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ChatServiceOptions {
  db: Database;
  clients: BedrockClients;
  /** The offered models; the first is the default. */
  models: ModelSpec[];
  fallbackModelId?: string | undefined;
  systemPrompt: string;
  maxMessageChars: number;
  reservationTtlSeconds: number;
  /** Tokens arriving within this window go out as one event (fewer, larger SSE events). */
  coalesceMs: number;
  /** How long a turn waits for its client to reconnect before it is aborted. */
  reconnectGraceMs: number;
  logger: ChatLogger;
  /** Answers come from the built-in fake Bedrock server (shown to users). */
  demo?: boolean | undefined;
}

/** How long a finished turn's events stay available to a reconnecting client. */
const FINISHED_TURN_RETENTION_MS = 60_000;

/** Runs chat turns (the LangGraph graph) and keeps them resumable while they run. */
export class ChatService {
  readonly #options: ChatServiceOptions;
  readonly #turns = new Map<string, Turn>();
  readonly #bySession = new Map<string, Turn>();
  /** Turns still running, so shutdown can wait for them to settle. */
  readonly #running = new Set<Promise<void>>();
  #closing = false;

  constructor(options: ChatServiceOptions) {
    this.#options = options;
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

  /** Checks and stores the user's message, then starts the answer in the background. */
  async startTurn(input: {
    userId: string;
    sessionId: string | null;
    content: string;
    modelId?: string | undefined;
  }) {
    if (this.#closing)
      throw new DomainError("CONFLICT", "The server is restarting. Please try again in a moment.");
    const content = input.content.trim();
    if (!content) throw new DomainError("BAD_REQUEST", "The message is empty.", { field: "content" });
    if (content.length > this.#options.maxMessageChars) {
      throw new DomainError(
        "BAD_REQUEST",
        `The message is longer than ${this.#options.maxMessageChars} characters.`,
        {
          field: "content",
        },
      );
    }
    const em = this.#options.db.em.fork();
    let session: ChatSession | null = null;
    let spec: ModelSpec;
    let userMessageId: string | null = null;
    let history: HistoryMessage[] = [];
    if (input.sessionId) {
      session = await ownedSession(em, input.userId, input.sessionId);
      if (this.#bySession.get(session.id)?.finished === false) {
        throw new DomainError("CONFLICT", "An answer is already being written in this chat.");
      }
      spec = this.modelFor(input.modelId ?? session.modelId);
      const previous = await em.find(
        ChatMessage,
        { session: session.id, content: { $ne: "" } },
        { orderBy: { createdAt: "asc", id: "asc" }, fields: ["role", "content"] },
      );
      history = previous.map((m) => ({ role: m.role, content: m.content }));
      if (previous.length === 0 && session.title === DEFAULT_TITLE) session.title = titleFrom(content);
      const message = em.create(ChatMessage, { session, role: "user", content, status: "complete" });
      session.modelId = spec.id;
      session.lastActivityAt = new Date();
      await em.flush();
      userMessageId = message.id;
    } else {
      spec = this.modelFor(input.modelId);
    }

    const turn = new Turn(input.userId, session?.id ?? null, this.#options.reconnectGraceMs);
    this.#turns.set(turn.id, turn);
    if (session) this.#bySession.set(session.id, turn);
    const running = this.#run(turn, {
      spec,
      content,
      history,
      userMessageId,
      title: session?.title ?? null,
    }).finally(() => {
      turn.finish();
      this.#running.delete(running);
      setTimeout(() => {
        this.#turns.delete(turn.id);
        if (turn.sessionId && this.#bySession.get(turn.sessionId) === turn)
          this.#bySession.delete(turn.sessionId);
      }, FINISHED_TURN_RETENTION_MS).unref();
    });
    this.#running.add(running);
    return turn;
  }

  /** The turn a reconnecting client was following (from its last event id), if still known. */
  resume(lastEventId: string, userId: string): { turn: Turn; fromSeq: number } | null {
    const [turnId, seq] = lastEventId.split(":");
    const turn = turnId ? this.#turns.get(turnId) : undefined;
    if (!turn || turn.userId !== userId) return null;
    return { turn, fromSeq: Number(seq) + 1 };
  }

  /** Stops the answer being written in the session. False when none is running. */
  stop(userId: string, sessionId: string): boolean {
    const turn = this.#bySession.get(sessionId);
    if (!turn || turn.userId !== userId || turn.finished) return false;
    turn.controller.abort(new Error("stopped by the user"));
    return true;
  }

  /** Aborts every running turn (server shutdown): each is charged for what it produced. */
  async stopAll(): Promise<void> {
    this.#closing = true;
    for (const turn of this.#turns.values()) {
      if (!turn.finished) turn.controller.abort(new Error("server shutting down"));
    }
    // Each aborted turn settles its reservation and stores its partial answer before we go.
    await Promise.allSettled([...this.#running]);
  }

  async #run(
    turn: Turn,
    input: {
      spec: ModelSpec;
      content: string;
      history: HistoryMessage[];
      userMessageId: string | null;
      title: string | null;
    },
  ): Promise<void> {
    const { db, logger } = this.#options;
    const em = () => db.em.fork();
    const log = { turnId: turn.id, sessionId: turn.sessionId, userId: turn.userId, modelId: input.spec.id };

    // Token accounting, per model call: Bedrock's figures when it reports them, else what we saw.
    let reservationId: string | null = null;
    let settled = false;
    let promptEstimate = 0;
    let transcript = "";
    let pendingText = "";
    let flushTimer: NodeJS.Timeout | undefined;
    let callDeltas = 0;
    let callInFlight = false;
    const used: TokenUsage = { input: 0, output: 0 };
    const toolCalls = new Map<string, StoredToolCall>();

    const flush = () => {
      clearTimeout(flushTimer);
      flushTimer = undefined;
      if (pendingText) turn.push({ type: "token", text: pendingText });
      pendingText = "";
    };
    const emitText = (text: string) => {
      // The first text goes out at once (time to first token is what users feel); later text is
      // coalesced into one event per window.
      const first = transcript === "";
      transcript += text;
      pendingText += text;
      if (first || this.#options.coalesceMs <= 0) flush();
      else flushTimer ??= setTimeout(flush, this.#options.coalesceMs);
    };
    const push = (event: ChatEvent) => {
      flush();
      turn.push(event);
    };
    /** What a call in flight has produced so far, added to what finished calls reported. */
    const produced = (): TokenUsage => ({
      input: used.input + (callInFlight ? promptEstimate : 0),
      output: used.output + (callInFlight ? callDeltas : 0),
    });

    const storeAssistant = async (
      status: "complete" | "incomplete" | "failed",
      credits: number,
      error?: string,
    ) => {
      if (!turn.sessionId) return null;
      const fork = em();
      const session = await fork.findOneOrFail(ChatSession, { id: turn.sessionId });
      const message = fork.create(ChatMessage, {
        session,
        role: "assistant",
        content: transcript,
        status,
        modelId: input.spec.id,
        toolCalls: [...toolCalls.values()],
        inputTokens: used.input,
        outputTokens: used.output,
        credits,
        reservationId,
        error: error?.slice(0, 1000) ?? null,
      });
      session.lastActivityAt = new Date();
      await fork.flush();
      return message.id;
    };

    const failTurn = async (failure: ModelFailure) => {
      if (settled) return;
      settled = true;
      // A call Bedrock refused outright (credentials, access, throttling, validation: no delta
      // arrived) is not billed by AWS, so its prompt is not charged either. A stop or a failure
      // mid-stream is: the model had the prompt and produced what was seen.
      const refusedOutright = failure.code !== "STOPPED" && callDeltas === 0;
      if (refusedOutright) callInFlight = false;
      const charge = produced();
      used.input = charge.input;
      used.output = charge.output;
      const result = reservationId
        ? await abortReservation(em(), {
            userId: turn.userId,
            sessionId: reservationId,
            tokensGenerated: charge.output,
            inputTokens: charge.input,
          })
        : null;
      const stopped = failure.code === "STOPPED";
      const messageId = await storeAssistant(
        stopped ? "incomplete" : "failed",
        result?.creditsCharged ?? 0,
        stopped ? undefined : failure.message,
      );
      logger.info(
        { ...log, code: failure.code, charged: result?.creditsCharged ?? 0, ...charge },
        "chat turn ended early",
      );
      if (stopped) {
        push({
          type: "done",
          messageId,
          content: transcript,
          status: "incomplete",
          creditsCharged: result?.creditsCharged ?? 0,
          balance: await getBalance(em(), turn.userId),
          title: input.title,
        });
      } else {
        push({
          type: "error",
          code: failure.code,
          message: failure.message,
          messageId,
          creditsCharged: result?.creditsCharged ?? 0,
        });
      }
    };

    let settlement: { creditsCharged: number } | null = null;
    const ports: TurnPorts = {
      loadHistory: async () => input.history,
      reserve: async (estimate) => {
        promptEstimate = estimate.input;
        const reservation = await initializeReservation(em(), {
          userId: turn.userId,
          modelId: input.spec.id,
          estimatedTokens: estimate,
          ttlSeconds: this.#options.reservationTtlSeconds,
        });
        reservationId = reservation.sessionId;
        callInFlight = true; // the model is called next: from now on the prompt counts as sent
        push({
          type: "started",
          turnId: turn.id,
          sessionId: turn.sessionId,
          userMessageId: input.userMessageId,
          reservationId,
          modelId: input.spec.id,
          held: reservation.held,
        });
        return reservationId;
      },
      settle: async () => {
        settled = true;
        settlement = await finalizeReservation(em(), {
          userId: turn.userId,
          sessionId: reservationId ?? "",
          actualTokens: used,
        });
      },
      persist: async () => {
        const credits = settlement?.creditsCharged ?? 0;
        const messageId = await storeAssistant("complete", credits);
        logger.info({ ...log, credits, ...used }, "chat turn complete");
        push({
          type: "done",
          messageId,
          content: transcript,
          status: "complete",
          creditsCharged: credits,
          balance: await getBalance(em(), turn.userId),
          title: input.title,
        });
      },
      fail: async ({ failure }) => failTurn(failure),
    };

    const tools = createTools(async () => ({
      balance: await getBalance(em(), turn.userId),
      last30Days: (await usageStats(em(), { userId: turn.userId })).totals,
    }));
    const fallbackSpec = this.#options.fallbackModelId
      ? this.#options.models.find((m) => m.id === this.#options.fallbackModelId)
      : undefined;
    const graph = buildTurnGraph({
      spec: input.spec,
      model: this.#options.clients.chatModel(input.spec),
      fallback:
        fallbackSpec && fallbackSpec.id !== input.spec.id
          ? { spec: fallbackSpec, model: this.#options.clients.chatModel(fallbackSpec) }
          : undefined,
      tools,
      systemPrompt: this.#options.systemPrompt,
      content: input.content,
      ports,
    });

    try {
      // "messages" gives each streamed delta; "updates" gives each node's output: the model's final
      // message (with Bedrock's usage and any tool calls) and the tools' results. Lighter per token
      // than streamEvents.
      const stream = await graph.stream(
        { messages: [] as BaseMessage[] },
        { streamMode: ["messages", "updates"], signal: turn.controller.signal, recursionLimit: 25 },
      );
      for await (const [mode, payload] of stream) {
        if (mode === "messages") {
          const [chunk, metadata] = payload as [AIMessageChunk, { langgraph_node?: string }];
          if (metadata.langgraph_node !== "model") continue;
          callInFlight = true;
          const text = textOf(chunk);
          if (text) {
            callDeltas += 1;
            emitText(text);
          }
          continue;
        }
        const update = payload as Record<string, { messages?: BaseMessage[] } | undefined>;
        for (const message of update.model?.messages ?? []) {
          const output = message as AIMessage;
          // Bedrock does not always stream deltas: then the final message is the content, once.
          if (callDeltas === 0) {
            const text = textOf(output);
            if (text) emitText(text);
          }
          const usage = output.usage_metadata;
          used.input += usage?.input_tokens || promptEstimate;
          used.output += usage?.output_tokens || callDeltas;
          callInFlight = false;
          callDeltas = 0;
          push({ type: "usage", inputTokens: used.input, outputTokens: used.output });
          for (const call of output.tool_calls ?? []) {
            const id = call.id ?? crypto.randomUUID();
            toolCalls.set(id, { id, name: call.name, args: call.args, result: null });
            push({ type: "toolCall", id, name: call.name, args: call.args });
          }
        }
        for (const message of update.tools?.messages ?? []) {
          const toolMessage = message as ToolMessage;
          const result =
            typeof toolMessage.content === "string"
              ? toolMessage.content
              : JSON.stringify(toolMessage.content);
          const call = toolCalls.get(toolMessage.tool_call_id);
          if (call) call.result = result;
          push({
            type: "toolResult",
            id: toolMessage.tool_call_id,
            name: call?.name ?? toolMessage.name ?? "",
            result,
          });
        }
      }
    } catch (error) {
      if (error instanceof DomainError) {
        push({
          type: "error",
          code: error.code,
          message: error.message,
          messageId: null,
          creditsCharged: 0,
          available: typeof error.detail.available === "number" ? error.detail.available : undefined,
        });
        return;
      }
      if (turn.controller.signal.aborted) {
        await failTurn({ code: "STOPPED", message: "The answer was stopped.", retryable: false });
        return;
      }
      logger.error({ ...log, err: error }, "chat turn failed");
      await failTurn({ code: "MODEL_ERROR", message: "The answer failed.", retryable: false }).catch(
        (err: unknown) => logger.error({ ...log, err }, "could not settle a failed chat turn"),
      );
    } finally {
      flush();
    }
  }
}
