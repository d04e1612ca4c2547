// The parts of a Converse / ConverseStream request body the fake reads. Only what it needs is typed;
// the SDK sends more (inferenceConfig, toolConfig, additionalModelRequestFields, ...) and the full
// parsed body is kept on each recorded request for tests to inspect.

import { type MediaBlock, mediaTokens } from "./media.ts";

export interface ToolResultContent {
  text?: string;
  json?: unknown;
}

export interface ConverseContentBlock {
  text?: string;
  image?: MediaBlock;
  document?: MediaBlock;
  toolUse?: { toolUseId: string; name: string; input?: unknown };
  toolResult?: { toolUseId: string; content?: ToolResultContent[]; status?: string };
  /** A prompt-cache checkpoint: everything before it may be cached (see prompt-cache.ts). */
  cachePoint?: { type: string; ttl?: string };
}

export interface ConverseMessage {
  role: "user" | "assistant";
  content: ConverseContentBlock[];
}

export interface ConverseRequestBody {
  messages: ConverseMessage[];
  system?: { text?: string; cachePoint?: { type: string } }[];
  toolConfig?: { tools?: object[] };
  inferenceConfig?: { maxTokens?: number; temperature?: number; stopSequences?: string[] };
}

/** Parses and minimally checks a request body; the message is the ValidationException text. */
export function parseRequestBody(raw: string): ConverseRequestBody | { invalid: string } {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { invalid: "Request body is not valid JSON" };
  }
  if (
    typeof body !== "object" ||
    body === null ||
    !Array.isArray((body as { messages?: unknown }).messages)
  ) {
    return { invalid: "Request body must be an object with a messages array" };
  }
  const messages = (body as { messages: unknown[] }).messages;
  for (const message of messages) {
    const m = message as Partial<ConverseMessage> | null;
    if (typeof m !== "object" || m === null || !Array.isArray(m.content)) {
      return { invalid: "Every message needs a content array" };
    }
  }
  return body as ConverseRequestBody;
}

function textsOf(message: ConverseMessage): string[] {
  return message.content.flatMap((block) => (typeof block.text === "string" ? [block.text] : []));
}

/**
 * The text the user wrote most recently: the text blocks of the last user message that has any.
 * A user message holding only toolResult blocks (what LangChain sends a ToolMessage as) is skipped,
 * so a directive from the turn that asked for a tool still applies when its result comes back.
 */
export function lastUserText(body: ConverseRequestBody): string | undefined {
  for (let i = body.messages.length - 1; i >= 0; i--) {
    const message = body.messages[i];
    if (message?.role !== "user") continue;
    const texts = textsOf(message);
    if (texts.length > 0) return texts.join("\n");
  }
  return undefined;
}

/** Text of a toolResult's content: text blocks as they are, json blocks serialised. */
export function toolResultText(content: ToolResultContent[] | undefined): string {
  return (content ?? [])
    .map((c) => (typeof c.text === "string" ? c.text : c.json !== undefined ? JSON.stringify(c.json) : ""))
    .filter((s) => s.length > 0)
    .join(" ");
}

/**
 * The result of a call to tool `name` carried by the last message, when that message is a user
 * message with toolResult blocks. Results name only a toolUseId, so the tool's name is found on the
 * assistant toolUse block with that id.
 */
export function toolResultFor(body: ConverseRequestBody, name: string): string | undefined {
  const last = body.messages.at(-1);
  if (last?.role !== "user") return undefined;
  const namesById = new Map<string, string>();
  for (const message of body.messages) {
    if (message.role !== "assistant") continue;
    for (const block of message.content) {
      if (block.toolUse) namesById.set(block.toolUse.toolUseId, block.toolUse.name);
    }
  }
  for (const block of last.content) {
    if (block.toolResult && namesById.get(block.toolResult.toolUseId) === name) {
      return toolResultText(block.toolResult.content);
    }
  }
  return undefined;
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => w.length > 0).length;
}

/**
 * Deterministic stand-in for the model's input token count: whitespace-separated words of the
 * system text, every message text block and every tool result's text, plus the images' and
 * documents' tokens (media.ts), at least 1.
 */
export function estimateInputTokens(body: ConverseRequestBody): number {
  let words = 0;
  for (const block of body.system ?? []) words += countWords(block.text ?? "");
  for (const message of body.messages) {
    for (const block of message.content) {
      if (typeof block.text === "string") words += countWords(block.text);
      if (block.toolResult) words += countWords(toolResultText(block.toolResult.content));
    }
  }
  return Math.max(1, words + mediaTokens(body));
}
