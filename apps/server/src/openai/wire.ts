// The OpenAI Chat Completions wire format, as far as Parley speaks it: the request schema, the
// response and chunk shapes, and errors in OpenAI's shape.
import type { DomainError, DomainErrorCode } from "@parley/core";
import { z } from "zod";

const textPart = z.object({ type: z.literal("text"), text: z.string() });

const message = z.object({
  role: z.enum(["system", "developer", "user", "assistant"]),
  content: z.union([z.string(), z.array(textPart)]).nullish(),
  name: z.string().max(100).optional(),
});

export const completionRequest = z.object({
  model: z.string().trim().min(1).max(300),
  messages: z.array(message).min(1).max(1000),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  max_tokens: z.number().int().min(1).max(1_000_000).nullish(),
  max_completion_tokens: z.number().int().min(1).max(1_000_000).nullish(),
  // Bedrock's Anthropic models take 0–1 (OpenAI allows up to 2).
  temperature: z.number().min(0).max(1).nullish(),
  stop: z.union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).max(4)]).nullish(),
  n: z.literal(1).nullish(),
  user: z.string().max(256).nullish(),
});
export type CompletionRequest = z.infer<typeof completionRequest>;

/** OpenAI's roles and content parts, as plain role + text. */
export function plainMessages(request: CompletionRequest) {
  return request.messages.map((m) => ({
    role: m.role === "developer" ? ("system" as const) : m.role,
    content: typeof m.content === "string" ? m.content : (m.content ?? []).map((p) => p.text).join(""),
  }));
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export const usageOf = (input: number, output: number): Usage => ({
  prompt_tokens: input,
  completion_tokens: output,
  total_tokens: input + output,
});

export function completion(id: string, model: string, content: string, finish: string, usage: Usage) {
  return {
    id,
    object: "chat.completion" as const,
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      { index: 0, message: { role: "assistant" as const, content }, finish_reason: finish, logprobs: null },
    ],
    usage,
  };
}

export function chunk(
  id: string,
  model: string,
  delta: { role?: "assistant"; content?: string },
  finish: string | null,
) {
  return {
    id,
    object: "chat.completion.chunk" as const,
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  };
}

export function usageChunk(id: string, model: string, usage: Usage) {
  return {
    id,
    object: "chat.completion.chunk" as const,
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [],
    usage,
  };
}

export interface OpenAiError {
  status: 400 | 401 | 402 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 502 | 503;
  body: { error: { message: string; type: string; param: string | null; code: string | null } };
  retryAfterSeconds?: number;
}

export function openAiError(
  status: OpenAiError["status"],
  type: string,
  code: string | null,
  message: string,
  param: string | null = null,
): OpenAiError {
  return { status, body: { error: { message, type, param, code } } };
}

const BY_CODE: Record<DomainErrorCode, [OpenAiError["status"], string, string]> = {
  BAD_REQUEST: [400, "invalid_request_error", "invalid_request"],
  UNAUTHORIZED: [401, "invalid_request_error", "invalid_api_key"],
  PAYMENT_REQUIRED: [402, "insufficient_quota", "insufficient_quota"],
  FORBIDDEN: [403, "permission_error", "forbidden"],
  NOT_FOUND: [404, "invalid_request_error", "not_found"],
  CONFLICT: [409, "invalid_request_error", "conflict"],
  TOO_MANY_REQUESTS: [429, "rate_limit_exceeded", "rate_limit_exceeded"],
  PAYLOAD_TOO_LARGE: [413, "invalid_request_error", "request_too_large"],
  UNSUPPORTED_MEDIA_TYPE: [415, "invalid_request_error", "unsupported_media_type"],
};

/** A refusal from Parley's domain in OpenAI's shape (402 for credits, 429 with a retry time). */
export function fromDomainError(error: DomainError): OpenAiError {
  if (error.code === "BAD_REQUEST" && error.detail.field === "modelId") {
    return openAiError(404, "invalid_request_error", "model_not_found", error.message, "model");
  }
  const [status, type, code] = BY_CODE[error.code];
  const result = openAiError(status, type, code, error.message);
  const retry = error.detail.retryAfterSeconds;
  return typeof retry === "number" ? { ...result, retryAfterSeconds: retry } : result;
}

/** A chat turn's error event (the model failed, was throttled, …) in OpenAI's shape. */
export function fromTurnError(code: string, message: string): OpenAiError {
  if (code === "THROTTLED")
    return { ...openAiError(429, "rate_limit_exceeded", code, message), retryAfterSeconds: 5 };
  if (code === "MODEL_UNAVAILABLE") return openAiError(503, "api_error", code, message);
  return openAiError(502, "api_error", code, message);
}
