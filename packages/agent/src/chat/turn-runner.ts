import type { AIMessage, BaseMessage, ToolMessage } from "@langchain/core/messages";
import { inSpan, metrics, recordSettlement } from "@parley/core";
import type { ModelSpec } from "../configuration.ts";
import { describeModelError, type ModelFailure } from "../errors.ts";
import { type ChatGraph, type ChatTurn, chatTurnConfig } from "../graph.ts";
import { textOf } from "../history.ts";
import type { ChatLogger } from "./chat-logger.ts";
import type { ChatEvent } from "./events.ts";
import { TokenMeter } from "./token-meter.ts";
import { Transcript } from "./transcript.ts";
import type { FinishedTurn, FinishTurnInput, TurnProgress } from "./turn-store.ts";

export interface TurnRunnerOptions {
  turnId: string;
  userId: string;
  sessionId: string | null;
  spec: ModelSpec;
  title: string | null;
  /** The chat graph (compiled once) and what this turn gives it. */
  graph: ChatGraph;
  turn: Omit<ChatTurn, "onText">;
  prompt: BaseMessage[];
  promptEstimate: number;
  /** The coalescing window of text events, asked for as each window opens. */
  coalesceWindowMs: () => number;
  publish: (event: ChatEvent) => void;
  /** Stores and settles the turn (retrying through database outages); null: it had already ended. */
  finish: (
    input: Omit<FinishTurnInput, "turnId" | "userId" | "owner" | "staleSeconds">,
  ) => Promise<FinishedTurn | null>;
  /** The final event of a turn that had already ended (how it was stored). */
  storedEnd: () => Promise<ChatEvent>;
  logger: ChatLogger;
}

const STOPPED: ModelFailure = { code: "STOPPED", message: "The answer was stopped.", retryable: false };

/** Runs one turn's graph: streams its events, meters its tokens, then settles and stores it once. */
export class TurnRunner {
  readonly controller = new AbortController();
  readonly #options: TurnRunnerOptions;
  readonly #meter: TokenMeter;
  readonly #transcript: Transcript;

  constructor(options: TurnRunnerOptions) {
    this.#options = options;
    this.#meter = new TokenMeter(options.promptEstimate);
    this.#transcript = new Transcript(options.publish, options.coalesceWindowMs);
  }

  get turnId(): string {
    return this.#options.turnId;
  }

  get userId(): string {
    return this.#options.userId;
  }

  /** What a checkpoint stores: what the user has seen and the tokens it cost so far. */
  progress(): TurnProgress {
    const produced = this.#meter.produced();
    return {
      turnId: this.#options.turnId,
      inputTokens: produced.input,
      outputTokens: produced.output,
      cacheReadTokens: produced.cacheRead,
      cacheWriteTokens: produced.cacheWrite,
      partial: this.#transcript.text,
      toolCalls: [...this.#transcript.toolCalls.values()],
    };
  }

  /** Runs the turn to its end, inside a `chat.turn` span (the graph's and the ledger's below it). */
  run(): Promise<void> {
    const { spec, userId, sessionId } = this.#options;
    const attributes = {
      "openinference.span.kind": "CHAIN",
      "parley.turn.id": this.turnId,
      "parley.user.id": userId,
      "parley.session.id": sessionId ?? "",
      "llm.model_name": spec.id,
    };
    return inSpan("chat.turn", attributes, async (span) => {
      let failure: ModelFailure | null = null;
      try {
        await this.#stream();
      } catch (error) {
        failure = this.controller.signal.aborted ? STOPPED : describeModelError(error);
        if (failure.code !== "STOPPED")
          this.#options.logger.error({ err: error, turnId: this.turnId }, "chat turn failed");
      } finally {
        this.#transcript.flush();
      }
      const finished = await this.#end(failure);
      span.setAttributes({
        "parley.turn.outcome": failure?.code ?? "COMPLETE",
        "llm.token_count.prompt": finished?.inputTokens ?? 0,
        "llm.token_count.completion": finished?.outputTokens ?? 0,
        "parley.credits.charged": finished?.creditsCharged ?? 0,
      });
    });
  }

  async #stream(): Promise<void> {
    const { graph, prompt } = this.#options;
    this.#meter.callStarted();
    // Text deltas come straight from the model node (onText); "updates" gives each node's output:
    // the model's final message (with Bedrock's usage and any tool calls) and the tools' results.
    const turn: ChatTurn = { ...this.#options.turn, onText: (text) => this.#text(text) };
    const stream = await graph.stream(
      { messages: prompt },
      { ...chatTurnConfig(turn, this.controller.signal), streamMode: "updates" },
    );
    for await (const update of stream) {
      const outputs = update as Record<string, { messages?: BaseMessage[] } | undefined>;
      for (const message of outputs.model?.messages ?? []) this.#modelAnswered(message as AIMessage);
      for (const message of outputs.tools?.messages ?? []) {
        const result = message as ToolMessage;
        const text = typeof result.content === "string" ? result.content : JSON.stringify(result.content);
        this.#transcript.toolResult(result.tool_call_id, result.name, text);
      }
      if (outputs.tools) this.#meter.callStarted(); // the model is called again with the results
    }
  }

  #text(text: string): void {
    if (this.#transcript.text === "") this.#firstToken();
    this.#meter.delta();
    this.#transcript.addText(text);
  }

  readonly #startedAt = performance.now();

  #firstToken(): void {
    metrics.ttft.observe({ model: this.#options.spec.id }, (performance.now() - this.#startedAt) / 1000);
  }

  #modelAnswered(output: AIMessage): void {
    // Bedrock does not always stream deltas: then the final message is the content, once.
    if (this.#meter.callDeltas === 0) {
      const text = textOf(output);
      if (text) this.#transcript.addText(text);
    }
    this.#meter.callEnded(output.usage_metadata);
    const used = this.#meter.used;
    this.#transcript.push({ type: "usage", inputTokens: used.input, outputTokens: used.output });
    for (const call of output.tool_calls ?? []) {
      this.#transcript.toolCall({ id: call.id ?? crypto.randomUUID(), name: call.name, args: call.args });
    }
  }

  async #end(failure: ModelFailure | null): Promise<FinishedTurn | null> {
    const { logger, turnId } = { logger: this.#options.logger, turnId: this.turnId };
    const stopped = failure?.code === "STOPPED";
    // A call Bedrock refused outright is not billed by AWS, so its prompt is not charged either.
    const charge = this.#meter.produced(failure !== null && !stopped);
    const progress = {
      ...this.progress(),
      inputTokens: charge.input,
      outputTokens: charge.output,
      cacheReadTokens: charge.cacheRead,
      cacheWriteTokens: charge.cacheWrite,
    };
    let finished: FinishedTurn | null;
    try {
      finished = await this.#options.finish({
        status: failure ? (stopped ? "stopped" : "failed") : "done",
        settle: failure ? "aborted" : "finalized",
        progress,
        messageStatus: failure ? (stopped ? "incomplete" : "failed") : "complete",
        errorCode: failure && !stopped ? failure.code : null,
        error: failure && !stopped ? failure.message : null,
      });
    } catch (error) {
      // The database stayed away longer than we retry: another process (or this one, later)
      // settles the turn from its last checkpoint once it is back.
      logger.error({ err: error, turnId }, "chat turn could not be stored; left for recovery");
      this.#options.publish(storageError);
      return null;
    }
    if (!finished) {
      // Already ended: our own end whose answer was lost with the connection (then retried), or
      // a recovery by another process after our heartbeats stopped reaching the database.
      this.#options.publish(await this.#options.storedEnd().catch(() => storageError));
      return null;
    }
    const model = this.#options.spec.id;
    metrics.tokens.inc({ model, direction: "input" }, finished.inputTokens);
    metrics.tokens.inc({ model, direction: "output" }, finished.outputTokens);
    if (!finished.unexpectedSettlement)
      recordSettlement(finished.creditsCharged, Math.max(0, finished.held - finished.creditsCharged));
    if (finished.unexpectedSettlement) {
      logger.error(
        { alert: true, turnId, userId: this.#options.userId, settledAs: finished.unexpectedSettlement },
        "ALERT: a chat answer's reservation was settled by someone other than the chat",
      );
    }
    logger.info(
      {
        turnId,
        userId: this.#options.userId,
        code: failure?.code,
        credits: finished.creditsCharged,
        ...charge,
      },
      failure ? "chat turn ended early" : "chat turn complete",
    );
    this.#options.publish(
      failure && !stopped
        ? {
            type: "error",
            code: failure.code,
            message: failure.message,
            messageId: finished.messageId,
            creditsCharged: finished.creditsCharged,
          }
        : {
            type: "done",
            messageId: finished.messageId,
            content: finished.content,
            status: failure ? "incomplete" : "complete",
            creditsCharged: finished.creditsCharged,
            balance: finished.balance,
            title: this.#options.title,
          },
    );
    return finished;
  }
}

const storageError: ChatEvent = {
  type: "error",
  code: "STORAGE_UNAVAILABLE",
  message: "The answer could not be saved right now; it will appear in the chat once the server recovers.",
  messageId: null,
  creditsCharged: 0,
};

export function interruptedEvent(creditsCharged: number, messageId: string | null): ChatEvent {
  return {
    type: "error",
    code: "INTERRUPTED",
    message: "The server writing this answer stopped. What it wrote so far is saved.",
    messageId,
    creditsCharged,
  };
}
