import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";

export interface HistoryMessage {
  role: "user" | "assistant";
  content: string;
}

/** A rough token count (about four characters a token) for budgeting before Bedrock counts. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4) + 4;

/**
 * The messages to send: the system prompt, as much recent history as fits in the context window
 * next to the reserved output, and the new message. Oldest history is dropped first; the history
 * sent always starts with a user message (models expect the user to speak first).
 */
export function buildPrompt(options: {
  systemPrompt: string;
  history: HistoryMessage[];
  content: string;
  contextWindow: number;
  maxOutputTokens: number;
}): { messages: BaseMessage[]; estimate: number } {
  let budget = options.contextWindow - options.maxOutputTokens;
  budget -= estimateTokens(options.systemPrompt) + estimateTokens(options.content);
  const kept: HistoryMessage[] = [];
  for (let i = options.history.length - 1; i >= 0; i--) {
    const message = options.history[i] as HistoryMessage;
    const cost = estimateTokens(message.content);
    if (cost > budget) break;
    budget -= cost;
    kept.unshift(message);
  }
  while (kept[0]?.role === "assistant") kept.shift();
  const messages: BaseMessage[] = [
    new SystemMessage(options.systemPrompt),
    ...kept.map((m) => (m.role === "user" ? new HumanMessage(m.content) : new AIMessage(m.content))),
    new HumanMessage(options.content),
  ];
  const estimate =
    estimateTokens(options.systemPrompt) +
    kept.reduce((sum, m) => sum + estimateTokens(m.content), 0) +
    estimateTokens(options.content);
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
