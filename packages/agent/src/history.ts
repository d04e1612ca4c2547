import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { attachmentParts, type ModelAttachment } from "./attachments/content.ts";

export interface HistoryMessage {
  role: "user" | "assistant";
  content: string;
  /** Files and images the user attached to the message. */
  attachments?: ModelAttachment[] | undefined;
}

/** A rough token count (about four characters a token) for budgeting before Bedrock counts. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4) + 4;

const attachmentTokens = (attachments: ModelAttachment[] | undefined): number =>
  (attachments ?? []).reduce((sum, a) => sum + a.tokenEstimate, 0);

/** A message's estimated tokens: its text and its attachments. */
export const messageTokens = (message: HistoryMessage): number =>
  estimateTokens(message.content) + attachmentTokens(message.attachments);

/**
 * The messages to send: the system prompt, as much recent history as fits in the context window
 * next to the reserved output, and the new message. Oldest history is dropped first; the history
 * sent always starts with a user message (models expect the user to speak first).
 */
export function buildPrompt(options: {
  systemPrompt: string;
  history: HistoryMessage[];
  content: string;
  /** The new message's attachments. */
  attachments?: ModelAttachment[] | undefined;
  contextWindow: number;
  maxOutputTokens: number;
}): { messages: BaseMessage[]; estimate: number } {
  const latest: HistoryMessage = { role: "user", content: options.content, attachments: options.attachments };
  let budget = options.contextWindow - options.maxOutputTokens;
  budget -= estimateTokens(options.systemPrompt) + messageTokens(latest);
  const kept: HistoryMessage[] = [];
  for (let i = options.history.length - 1; i >= 0; i--) {
    const message = options.history[i] as HistoryMessage;
    const cost = messageTokens(message);
    if (cost > budget) break;
    budget -= cost;
    kept.unshift(message);
  }
  while (kept[0]?.role === "assistant") kept.shift();
  const documentNames = new Set<string>();
  const userMessage = (m: HistoryMessage) =>
    m.attachments?.length
      ? // Attachments first, then the text that asks about them (Anthropic's advice).
        new HumanMessage({
          content: [...attachmentParts(m.attachments, documentNames), { type: "text", text: m.content }],
        })
      : new HumanMessage(m.content);
  const messages: BaseMessage[] = [
    ...(options.systemPrompt ? [new SystemMessage(options.systemPrompt)] : []),
    ...kept.map((m) => (m.role === "user" ? userMessage(m) : new AIMessage(m.content))),
    userMessage(latest),
  ];
  const estimate =
    (options.systemPrompt ? estimateTokens(options.systemPrompt) : 0) +
    kept.reduce((sum, m) => sum + messageTokens(m), 0) +
    messageTokens(latest);
  return { messages, estimate };
}

/** The text of a model message (Bedrock may answer in content blocks). */
export function textOf(message: BaseMessage): string {
  const content = message.content;
  if (typeof content === "string") return content;
  return content
    .map((block) =>
      typeof block === "object" && block !== null && "text" in block ? String(block.text) : "",
    )
    .join("");
}

/** A conversation handed over whole (the OpenAI-compatible endpoint): system text and turns. */
export interface Conversation {
  system: string;
  /** Everything before the last user message, oldest first. */
  history: HistoryMessage[];
  /** The last user message. */
  content: string;
}

/**
 * Shapes messages in OpenAI's roles into what Bedrock accepts: system messages joined into the
 * system prompt, consecutive messages of one role joined (the conversation must alternate), and
 * the last message from the user. Null when there is no user message at the end.
 */
export function toConversation(
  messages: { role: "system" | "user" | "assistant"; content: string }[],
): Conversation | null {
  const system = messages
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n\n");
  const turns: HistoryMessage[] = [];
  for (const m of messages) {
    if (m.role === "system") continue;
    const last = turns[turns.length - 1];
    if (last?.role === m.role) last.content = `${last.content}\n\n${m.content}`;
    else turns.push({ role: m.role, content: m.content });
  }
  const last = turns.pop();
  if (last?.role !== "user" || !last.content.trim()) return null;
  return { system, history: turns, content: last.content };
}
