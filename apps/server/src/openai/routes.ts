import { toConversation } from "@parley/agent";
import { type ApiServices, apiKeyMayCall } from "@parley/api";
import { DomainError } from "@parley/core";
import type { Hono, Context as HonoContext } from "hono";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import { apiContext } from "../http/api-context.ts";
import type { AppEnv } from "../http/env.ts";
import type { OriginPolicy } from "../http/request-info.ts";
import {
  type CompletionRequest,
  chunk,
  completion,
  completionRequest,
  fromDomainError,
  fromTurnError,
  type OpenAiError,
  openAiError,
  plainMessages,
  usageChunk,
  usageOf,
} from "./wire.ts";

const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface OpenAiApiOptions {
  services: ApiServices;
  originPolicy: OriginPolicy;
}

/**
 * The OpenAI-compatible endpoint (`GET /v1/models`, `POST /v1/chat/completions`) that chat tooling
 * speaks. Bearer authentication only (an API key with the chat scope, or a session token). Each
 * completion is a chat turn with no stored chat: held before, settled exactly once, and a client
 * that goes away stops it and pays for what was produced.
 */
export function mountOpenAiApi(app: Hono<AppEnv>, options: OpenAiApiOptions): void {
  app.get("/v1/models", async (c) => {
    const caller = await authenticate(c, options);
    if ("error" in caller) return send(c, caller.error);
    return c.json({
      object: "list",
      data: options.services.chat.models.map((m) => ({
        id: m.id,
        object: "model",
        created: 0,
        owned_by: "parley",
      })),
    });
  });

  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) =>
      send(c, openAiError(400, "invalid_request_error", "request_too_large", "Request body too large."), {
        Connection: "close",
      }),
  });
  app.post("/v1/chat/completions", limit, async (c) => {
    const caller = await authenticate(c, options);
    if ("error" in caller) return send(c, caller.error);
    const parsed = completionRequest.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const param = issue?.path.join(".") || null;
      return send(
        c,
        openAiError(
          400,
          "invalid_request_error",
          "invalid_request",
          `${param ?? "body"}: ${issue?.message}`,
          param,
        ),
      );
    }
    const conversation = toConversation(plainMessages(parsed.data));
    if (!conversation) {
      return send(
        c,
        openAiError(
          400,
          "invalid_request_error",
          "invalid_request",
          "The last message must be a non-empty user message.",
          "messages",
        ),
      );
    }
    let started: { turnId: string };
    try {
      started = await options.services.chat.complete({
        userId: caller.userId,
        conversation,
        modelId: parsed.data.model,
        params: paramsOf(parsed.data),
      });
    } catch (error) {
      if (error instanceof DomainError) return send(c, fromDomainError(error));
      throw error;
    }
    const turn = {
      ...started,
      userId: caller.userId,
      model: parsed.data.model,
      maxTokens: maxTokensOf(parsed.data),
    };
    return parsed.data.stream
      ? streamCompletion(c, options, turn, parsed.data.stream_options?.include_usage ?? false)
      : wholeCompletion(c, options, turn);
  });
}

interface StartedCompletion {
  turnId: string;
  userId: string;
  model: string;
  maxTokens: number | undefined;
}

async function wholeCompletion(c: HonoContext<AppEnv>, options: OpenAiApiOptions, turn: StartedCompletion) {
  const { chat } = options.services;
  const signal = c.req.raw.signal;
  const stop = () => void chat.stop(turn.userId, turn.turnId).catch(() => {});
  signal.addEventListener("abort", stop, { once: true });
  const usage = { input: 0, output: 0 };
  try {
    for await (const { event } of await chat.openStream(
      turn.userId,
      turn.turnId,
      0,
      new AbortController().signal,
    )) {
      // Tokens are not needed: the final event carries the stored answer.
      if (event.type === "usage")
        Object.assign(usage, { input: event.inputTokens, output: event.outputTokens });
      else if (event.type === "error") return send(c, fromTurnError(event.code, event.message));
      else if (event.type === "done") {
        return c.json(
          completion(
            idOf(turn),
            turn.model,
            event.content,
            finishOf(turn, usage.output),
            usageOf(usage.input, usage.output),
          ),
        );
      }
    }
  } finally {
    signal.removeEventListener("abort", stop);
  }
  return send(c, openAiError(502, "api_error", "STREAM_LOST", "The answer ended without a result."));
}

function streamCompletion(
  c: HonoContext<AppEnv>,
  options: OpenAiApiOptions,
  turn: StartedCompletion,
  includeUsage: boolean,
) {
  const { chat } = options.services;
  const id = idOf(turn);
  return streamSSE(c, async (stream) => {
    const reading = new AbortController();
    stream.onAbort(() => {
      reading.abort();
      void chat.stop(turn.userId, turn.turnId).catch(() => {});
    });
    const usage = { input: 0, output: 0 };
    const write = (data: unknown) => stream.writeSSE({ data: JSON.stringify(data) });
    await write(chunk(id, turn.model, { role: "assistant", content: "" }, null));
    for await (const { event } of await chat.openStream(turn.userId, turn.turnId, 0, reading.signal)) {
      if (event.type === "token") await write(chunk(id, turn.model, { content: event.text }, null));
      else if (event.type === "usage")
        Object.assign(usage, { input: event.inputTokens, output: event.outputTokens });
      else if (event.type === "error") {
        await write(fromTurnError(event.code, event.message).body);
        break;
      } else if (event.type === "done") {
        await write(chunk(id, turn.model, {}, finishOf(turn, usage.output)));
        if (includeUsage) await write(usageChunk(id, turn.model, usageOf(usage.input, usage.output)));
        break;
      }
    }
    await stream.writeSSE({ data: "[DONE]" });
  });
}

/** The caller, by bearer token only: browsers' cookies never authorise a program's endpoint. */
async function authenticate(
  c: HonoContext<AppEnv>,
  options: OpenAiApiOptions,
): Promise<{ userId: string } | { error: OpenAiError }> {
  const ctx = await apiContext(c, options.services, options.originPolicy, new Headers());
  if (!ctx.user || (ctx.authVia !== "bearer" && ctx.authVia !== "apiKey")) {
    return {
      error: openAiError(
        401,
        "invalid_request_error",
        "invalid_api_key",
        "Missing or invalid API key (Authorization: Bearer …).",
      ),
    };
  }
  // A completion is a chat turn: an API key needs the chat scope, as for sessions.*.
  if (ctx.apiKey && !apiKeyMayCall(ctx.apiKey.scopes, "sessions.direct")) {
    return {
      error: openAiError(
        403,
        "permission_error",
        "insufficient_scope",
        'This API key lacks the "chat" scope.',
      ),
    };
  }
  return { userId: ctx.user.id };
}

function send(c: HonoContext<AppEnv>, error: OpenAiError, headers: Record<string, string> = {}) {
  const all: Record<string, string> = { ...headers };
  if (error.retryAfterSeconds) all["Retry-After"] = String(error.retryAfterSeconds);
  return c.json(error.body, error.status, all);
}

const maxTokensOf = (r: CompletionRequest) => r.max_completion_tokens ?? r.max_tokens ?? undefined;

function paramsOf(r: CompletionRequest) {
  return {
    maxTokens: maxTokensOf(r),
    temperature: r.temperature ?? undefined,
    stop: typeof r.stop === "string" ? [r.stop] : (r.stop ?? undefined),
  };
}

const idOf = (turn: { turnId: string }) => `chatcmpl-${turn.turnId}`;

/** "length" when the answer used the whole max_tokens, else "stop". */
const finishOf = (turn: StartedCompletion, output: number) =>
  turn.maxTokens !== undefined && output >= turn.maxTokens ? "length" : "stop";
