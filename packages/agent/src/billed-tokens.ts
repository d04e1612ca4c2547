import type { UsageMetadata } from "@langchain/core/messages";
import type { BilledTokens } from "@parley/accounting";

/**
 * A model call's usage as Bedrock bills it. LangChain's input_tokens adds the tokens read from and
 * written to the prompt cache (input_token_details.cache_read / cache_creation) to Bedrock's
 * inputTokens; Bedrock prices the three apart, so they are split again here.
 */
export function billedTokens(usage: UsageMetadata | undefined): Required<BilledTokens> {
  const cacheRead = usage?.input_token_details?.cache_read ?? 0;
  const cacheWrite = usage?.input_token_details?.cache_creation ?? 0;
  return {
    input: Math.max(0, (usage?.input_tokens ?? 0) - cacheRead - cacheWrite),
    output: usage?.output_tokens ?? 0,
    cacheRead,
    cacheWrite,
  };
}
