import { DomainError } from "@parley/core";
import type { ChatSession, EntityManager } from "@parley/db";
import { MAX_SYSTEM_PROMPT_LENGTH, MAX_TEMPERATURE, MIN_TEMPERATURE } from "@parley/validators";
import { DEFAULT_TITLE, ownedSession } from "./sessions.ts";

/** A chat's own instructions and parameters; nulls: none (the server's prompt, the model's defaults). */
export interface ChatSettings {
  systemPrompt: string | null;
  temperature: number | null;
  maxTokens: number | null;
}

/**
 * What a chat's (or a preset's) settings may be: Bedrock's temperature range for Claude, and an
 * answer length of at least one token (a turn caps it at its model's maximum).
 */
export const CHAT_SETTING_LIMITS = {
  systemPromptChars: MAX_SYSTEM_PROMPT_LENGTH,
  temperature: { min: MIN_TEMPERATURE, max: MAX_TEMPERATURE },
  maxTokens: { min: 1 },
} as const;

/**
 * BAD_REQUEST naming the field when a setting is out of bounds; `maxAnswerTokens` is the largest
 * maximum output of the offered models.
 */
export function checkChatSettings(settings: Partial<ChatSettings>, maxAnswerTokens: number): void {
  const { systemPrompt, temperature, maxTokens } = settings;
  const limits = CHAT_SETTING_LIMITS;
  if (systemPrompt && systemPrompt.length > limits.systemPromptChars) {
    throw new DomainError(
      "BAD_REQUEST",
      `The instructions are longer than ${limits.systemPromptChars} characters.`,
      { field: "systemPrompt", maxChars: limits.systemPromptChars },
    );
  }
  if (
    temperature !== null &&
    temperature !== undefined &&
    !(temperature >= limits.temperature.min && temperature <= limits.temperature.max)
  ) {
    throw new DomainError(
      "BAD_REQUEST",
      `The temperature must be between ${limits.temperature.min} and ${limits.temperature.max}.`,
      { field: "temperature", ...limits.temperature },
    );
  }
  if (
    maxTokens !== null &&
    maxTokens !== undefined &&
    !(Number.isInteger(maxTokens) && maxTokens >= limits.maxTokens.min && maxTokens <= maxAnswerTokens)
  ) {
    throw new DomainError(
      "BAD_REQUEST",
      `The maximum answer length must be a whole number of tokens from ${limits.maxTokens.min} to ${maxAnswerTokens}.`,
      { field: "maxTokens", min: limits.maxTokens.min, max: maxAnswerTokens },
    );
  }
}

/**
 * A temperature as it is kept: to three decimal places. The columns are `real`, which refuses
 * values below ~1e-38 (a client may send 5e-324) and keeps only ~7 digits anyway; Bedrock gains
 * nothing from finer steps.
 */
export function storedTemperature(temperature: number | null): number | null {
  return temperature === null ? null : Math.round(temperature * 1000) / 1000;
}

export function settingsOf(session: ChatSession): ChatSettings {
  return {
    systemPrompt: session.systemPrompt ?? null,
    temperature: session.temperature ?? null,
    maxTokens: session.maxTokens ?? null,
  };
}

/**
 * Changes what is given of a chat's title and settings (null clears a setting); an empty prompt
 * is no prompt. The next answer uses them (parley_start_turn reads them with the history).
 */
export async function updateSession(
  em: EntityManager,
  input: {
    userId: string;
    sessionId: string;
    title?: string | undefined;
    maxAnswerTokens: number;
  } & { [K in keyof ChatSettings]?: ChatSettings[K] | undefined },
): Promise<{ id: string; title: string; settings: ChatSettings }> {
  checkChatSettings(input, input.maxAnswerTokens);
  const session = await ownedSession(em, input.userId, input.sessionId);
  if (input.title !== undefined) session.title = input.title.trim() || DEFAULT_TITLE;
  if (input.systemPrompt !== undefined) session.systemPrompt = input.systemPrompt?.trim() || null;
  if (input.temperature !== undefined) session.temperature = storedTemperature(input.temperature);
  if (input.maxTokens !== undefined) session.maxTokens = input.maxTokens;
  await em.flush();
  return { id: session.id, title: session.title, settings: settingsOf(session) };
}
