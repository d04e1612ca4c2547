// Which models Parley offers and what they can do. Models come from BEDROCK_MODEL_ARNS: plain
// model ids, foundation-model ARNs, or inference-profile ARNs (cross-region inference); each is
// described by the catalog of known models, overridable by MODEL_PRICES.

export interface ModelSpec {
  /** Exactly what was configured: sent to Bedrock as the model id, and the key of its price. */
  id: string;
  displayName: string;
  contextWindow: number;
  maxOutputTokens: number;
  inputPer1k: number;
  outputPer1k: number;
  /** What the model reads besides text (Converse `image` and `document` blocks). */
  accepts: { images: boolean; documents: boolean };
  /**
   * Bedrock prompt caching, for models that support it: the default prices (credits per million
   * tokens read from / written to the cache; admins may change them) and the fewest tokens a
   * cached prefix must hold. Absent: the model gets no cache points.
   */
  promptCache?: { readPer1m: number; writePer1m: number; minTokens: number } | undefined;
}

type CatalogEntry = Omit<ModelSpec, "id">;

/**
 * Known models by base id. Prices in credits (1 credit = US$0.00001) per 1,000 tokens; cache
 * prices per million tokens (Bedrock's on-demand prices: writes 1.25 × input, reads 0.1 × input).
 * Claude 3 Haiku and Claude 3.5 Sonnet v2 have no prompt caching on Bedrock.
 */
export const KNOWN_MODELS: Readonly<Record<string, CatalogEntry>> = {
  "anthropic.claude-3-haiku-20240307-v1:0": {
    displayName: "Claude 3 Haiku",
    contextWindow: 200_000,
    maxOutputTokens: 4096,
    inputPer1k: 25,
    outputPer1k: 125,
    accepts: { images: true, documents: true },
  },
  "anthropic.claude-3-5-haiku-20241022-v1:0": {
    displayName: "Claude 3.5 Haiku",
    contextWindow: 200_000,
    maxOutputTokens: 8192,
    inputPer1k: 80,
    outputPer1k: 400,
    accepts: { images: true, documents: true },
    promptCache: { readPer1m: 8_000, writePer1m: 100_000, minTokens: 2048 },
  },
  "anthropic.claude-3-5-sonnet-20241022-v2:0": {
    displayName: "Claude 3.5 Sonnet v2",
    contextWindow: 200_000,
    maxOutputTokens: 8192,
    inputPer1k: 300,
    outputPer1k: 1500,
    accepts: { images: true, documents: true },
  },
  "anthropic.claude-3-7-sonnet-20250219-v1:0": {
    displayName: "Claude 3.7 Sonnet",
    contextWindow: 200_000,
    maxOutputTokens: 8192,
    inputPer1k: 300,
    outputPer1k: 1500,
    accepts: { images: true, documents: true },
    promptCache: { readPer1m: 30_000, writePer1m: 375_000, minTokens: 1024 },
  },
  "anthropic.claude-sonnet-4-20250514-v1:0": {
    displayName: "Claude Sonnet 4",
    contextWindow: 200_000,
    maxOutputTokens: 8192,
    inputPer1k: 300,
    outputPer1k: 1500,
    accepts: { images: true, documents: true },
    promptCache: { readPer1m: 30_000, writePer1m: 375_000, minTokens: 1024 },
  },
  "anthropic.claude-opus-4-20250514-v1:0": {
    displayName: "Claude Opus 4",
    contextWindow: 200_000,
    maxOutputTokens: 8192,
    inputPer1k: 1500,
    outputPer1k: 7500,
    accepts: { images: true, documents: true },
    promptCache: { readPer1m: 150_000, writePer1m: 1_875_000, minTokens: 1024 },
  },
};

/**
 * An unknown model is offered with conservative limits and a high price until configured, and
 * text only: sending it a file it cannot read would fail after the credits are held.
 */
const UNKNOWN_MODEL: Omit<CatalogEntry, "displayName"> = {
  contextWindow: 100_000,
  maxOutputTokens: 4096,
  inputPer1k: 300,
  outputPer1k: 1500,
  accepts: { images: false, documents: false },
};

/**
 * The catalog key of a configured id: ARNs lose their prefix (…:foundation-model/ or
 * …:inference-profile/), and cross-region profiles their region prefix (us., eu., apac., global.).
 */
export function baseModelId(configured: string): string {
  const resource = configured.startsWith("arn:") ? (configured.split("/").pop() ?? configured) : configured;
  return resource.replace(/^(us|eu|apac|us-gov|global)\./, "");
}

export interface ModelOverride {
  displayName?: string | undefined;
  inputPer1k: number;
  outputPer1k: number;
  cacheReadPer1m?: number | undefined;
  cacheWritePer1m?: number | undefined;
}

/** The offered models, in configured order (the first is the default). */
export function resolveModels(
  configured: string[],
  overrides: Record<string, ModelOverride> = {},
): ModelSpec[] {
  return configured.map((id) => {
    const known = KNOWN_MODELS[baseModelId(id)];
    const override = overrides[id];
    return {
      id,
      ...UNKNOWN_MODEL,
      displayName: id,
      ...known,
      ...(override
        ? {
            inputPer1k: override.inputPer1k,
            outputPer1k: override.outputPer1k,
            ...(override.displayName ? { displayName: override.displayName } : {}),
            ...(known?.promptCache &&
            override.cacheReadPer1m !== undefined &&
            override.cacheWritePer1m !== undefined
              ? {
                  promptCache: {
                    ...known.promptCache,
                    readPer1m: override.cacheReadPer1m,
                    writePer1m: override.cacheWritePer1m,
                  },
                }
              : {}),
          }
        : {}),
    };
  });
}

export const DEFAULT_SYSTEM_PROMPT =
  "You are Parley, a helpful assistant. Answer clearly and concisely. Use the tools when they help: " +
  "current_datetime for the date or time, calculator for arithmetic, my_usage for the user's own credits and usage.";
