import { createHash } from "node:crypto";
import { type ConverseRequestBody, countWords, toolResultText } from "./request.ts";

// Bedrock's prompt cache as the fake models it (Claude's "simplified" cache management):
// - a `cachePoint` block marks the end of a prefix to cache (in toolConfig.tools, system, or a
//   message's content; the order of the prompt is tools, system, messages);
// - a prefix is written only when it holds at least `minTokens` tokens (below that the request
//   still succeeds, uncached);
// - a request reads the longest cached prefix that ends at one of its cache points or at one of
//   the 20 content blocks before one (so a cache point moving down a growing conversation still
//   hits what the previous request wrote);
// - an entry lives `ttlMs` after it was last written or read.
// Usage splits the input the way Bedrock bills it: inputTokens (neither read nor written),
// cacheReadInputTokens and cacheWriteInputTokens.

export interface CacheUsage {
  inputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

export interface PromptCacheOptions {
  /** Tokens a prefix needs before it is cached (Claude Sonnet: 1,024). */
  minTokens: number;
  ttlMs: number;
}

/** How far before a cache point Bedrock looks for a cached prefix, in content blocks. */
const LOOKBACK_BLOCKS = 20;

interface Block {
  tokens: number;
  cachePoint: boolean;
  json: string;
}

/** The prompt as the cache sees it: every block in order, tools first, then system, then messages. */
function blocksOf(body: ConverseRequestBody): Block[] {
  const blocks: Block[] = [];
  const push = (block: object, tokens: number) =>
    blocks.push({ tokens, cachePoint: "cachePoint" in block, json: JSON.stringify(block) });
  for (const tool of body.toolConfig?.tools ?? []) push(tool, 0);
  for (const block of body.system ?? []) push(block, countWords(block.text ?? ""));
  for (const message of body.messages) {
    for (const block of message.content) {
      const text = typeof block.text === "string" ? countWords(block.text) : 0;
      const result = block.toolResult ? countWords(toolResultText(block.toolResult.content)) : 0;
      push({ role: message.role, ...block }, text + result);
    }
  }
  return blocks;
}

export class PromptCache {
  readonly #entries = new Map<string, number>();
  readonly #options: PromptCacheOptions;

  constructor(options: PromptCacheOptions) {
    this.#options = options;
  }

  /** Reads and writes the request's prefixes; `total` is its whole input (at least 1). */
  use(modelId: string, body: ConverseRequestBody, total: number): CacheUsage | null {
    const blocks = blocksOf(body);
    if (!blocks.some((b) => b.cachePoint)) return null;
    // Boundary i: after the first i content blocks (cache points are markers, not content).
    const keys: string[] = [];
    const tokensAt: number[] = [0];
    const points: number[] = [];
    let hash = createHash("sha256").update(modelId).digest("hex");
    keys.push(hash);
    for (const block of blocks) {
      if (block.cachePoint) {
        points.push(keys.length - 1);
        continue;
      }
      hash = createHash("sha256").update(hash).update(block.json).digest("hex");
      keys.push(hash);
      tokensAt.push((tokensAt.at(-1) ?? 0) + block.tokens);
    }
    const now = Date.now();
    let read = 0;
    for (const point of points) {
      for (let at = point; at >= Math.max(1, point - LOOKBACK_BLOCKS); at--) {
        const expires = this.#entries.get(keys[at] as string);
        if (expires !== undefined && expires > now && at > read) {
          read = at;
          break;
        }
      }
    }
    if (read > 0) this.#entries.set(keys[read] as string, now + this.#options.ttlMs);
    let written = read;
    for (const point of points) {
      if (point <= read || (tokensAt[point] ?? 0) < this.#options.minTokens) continue;
      this.#entries.set(keys[point] as string, now + this.#options.ttlMs);
      written = Math.max(written, point);
    }
    const cacheReadInputTokens = tokensAt[read] ?? 0;
    const cacheWriteInputTokens = (tokensAt[written] ?? 0) - cacheReadInputTokens;
    return {
      cacheReadInputTokens,
      cacheWriteInputTokens,
      inputTokens: Math.max(0, total - cacheReadInputTokens - cacheWriteInputTokens),
    };
  }

  clear(): void {
    this.#entries.clear();
  }
}
