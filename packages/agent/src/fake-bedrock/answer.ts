import type { FakeBehaviour } from "./behaviours.ts";
import { type ConverseRequestBody, toolResultFor } from "./request.ts";

// What the fake answers, as a list of tokens so streaming, pacing, fail-after and usage all count
// the same units. Deterministic, so tests can assert exact text.

export type StopReason = "end_turn" | "tool_use" | "max_tokens" | "stop_sequence";

export interface TextAnswer {
  kind: "text";
  /** Concatenated, the answer text; each token is one contentBlockDelta unit. */
  tokens: string[];
  stopReason: "end_turn" | "max_tokens" | "stop_sequence";
}

export interface ToolAnswer {
  kind: "tool";
  toolUseId: string;
  name: string;
  input: unknown;
  /** The input as JSON text cut into pieces of TOOL_INPUT_PIECE characters, one token each. */
  tokens: string[];
  stopReason: "tool_use";
}

export type Answer = TextAnswer | ToolAnswer;

/** Characters of tool input JSON per token (and per toolUse delta, with delta=1). */
export const TOOL_INPUT_PIECE = 8;

/** The text tokens of an n-token answer: "word1", " word2", ... " wordN". */
export function fakeWords(n: number): string[] {
  return Array.from({ length: n }, (_, i) => (i === 0 ? `word${i + 1}` : ` word${i + 1}`));
}

/** The full text of an n-token answer: "word1 word2 ... wordN". */
export function fakeText(n: number): string {
  return fakeWords(n).join("");
}

function wordsOf(text: string): string[] {
  return text
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w, i) => (i === 0 ? w : ` ${w}`));
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/**
 * Plans the answer to `body` under `behaviour`. With a tool behaviour: a toolUse block calling it,
 * or, when the last message already carries that tool's result, a text answer quoting the result
 * ("Tool NAME returned: ..."). Otherwise `behaviour.tokens` fake words, capped by the request's
 * inferenceConfig.maxTokens (then stopReason max_tokens, as Bedrock does).
 * `idSeed` makes the toolUseId stable for identical requests (a retry gets the same id).
 */
export function planAnswer(body: ConverseRequestBody, behaviour: FakeBehaviour, idSeed: string): Answer {
  if (behaviour.tool) {
    const { name, input } = behaviour.tool;
    const result = toolResultFor(body, name);
    if (result === undefined) {
      return {
        kind: "tool",
        toolUseId: `tooluse_fake_${idSeed.slice(0, 16)}`,
        name,
        input,
        tokens: pieces(JSON.stringify(input), TOOL_INPUT_PIECE),
        stopReason: "tool_use",
      };
    }
    return {
      kind: "text",
      tokens: wordsOf(`Tool ${name} returned: ${result || "(empty)"}`),
      stopReason: "end_turn",
    };
  }
  if (behaviour.echo) {
    const system = (body.system ?? []).map((b) => b.text ?? "").join("");
    const { temperature, maxTokens } = body.inferenceConfig ?? {};
    const text = `system=${system} temperature=${temperature ?? "unset"} maxTokens=${maxTokens ?? "unset"}`;
    return { kind: "text", tokens: text.match(/\s*\S+/g) ?? [], stopReason: "end_turn" };
  }
  if (behaviour.text !== undefined) {
    // Each token keeps the whitespace before it, so newlines (Markdown) survive the trip.
    return { kind: "text", tokens: behaviour.text.match(/\s*\S+/g) ?? [], stopReason: "end_turn" };
  }
  const maxTokens = body.inferenceConfig?.maxTokens;
  const answer: TextAnswer =
    typeof maxTokens === "number" && maxTokens < behaviour.tokens
      ? { kind: "text", tokens: fakeWords(maxTokens), stopReason: "max_tokens" }
      : { kind: "text", tokens: fakeWords(behaviour.tokens), stopReason: "end_turn" };
  return stopAtSequence(answer, body.inferenceConfig?.stopSequences ?? []);
}

/** As Bedrock does: the answer ends before the first stop sequence, which is not included. */
function stopAtSequence(answer: TextAnswer, stops: string[]): TextAnswer {
  if (stops.length === 0) return answer;
  let text = "";
  for (const [i, token] of answer.tokens.entries()) {
    const joined = text + token;
    const at = Math.min(...stops.map((s) => joined.indexOf(s)).filter((n) => n >= 0));
    if (Number.isFinite(at)) {
      const kept = answer.tokens.slice(0, i);
      const rest = joined.slice(text.length, at);
      return { kind: "text", tokens: rest ? [...kept, rest] : kept, stopReason: "stop_sequence" };
    }
    text = joined;
  }
  return answer;
}
