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
}

type CatalogEntry = Omit<ModelSpec, "id">;

/** Known models by base id. Prices in credits (1 credit = US$0.00001) per 1,000 tokens. */
export const KNOWN_MODELS: Readonly<Record<string, CatalogEntry>> = {
  "anthropic.claude-3-haiku-20240307-v1:0": {
    displayName: "Claude 3 Haiku",
    contextWindow: 200_000,
    maxOutputTokens: 4096,
    inputPer1k: 25,
    outputPer1k: 125,
  },
  "anthropic.claude-3-5-haiku-20241022-v1:0": {
    displayName: "Claude 3.5 Haiku",
    contextWindow: 200_000,
    maxOutputTokens: 8192,
    inputPer1k: 80,
    outputPer1k: 400,
  },
  "anthropic.claude-3-5-sonnet-20241022-v2:0": {
    displayName: "Claude 3.5 Sonnet v2",
    contextWindow: 200_000,
    maxOutputTokens: 8192,
    inputPer1k: 300,
    outputPer1k: 1500,
  },
  "anthropic.claude-3-7-sonnet-20250219-v1:0": {
    displayName: "Claude 3.7 Sonnet",
    contextWindow: 200_000,
    maxOutputTokens: 8192,
    inputPer1k: 300,
    outputPer1k: 1500,
  },
  "anthropic.claude-sonnet-4-20250514-v1:0": {
    displayName: "Claude Sonnet 4",
    contextWindow: 200_000,
    maxOutputTokens: 8192,
    inputPer1k: 300,
    outputPer1k: 1500,
  },
  "anthropic.claude-opus-4-20250514-v1:0": {
    displayName: "Claude Opus 4",
    contextWindow: 200_000,
    maxOutputTokens: 8192,
    inputPer1k: 1500,
    outputPer1k: 7500,
  },
};

/** An unknown model is offered with conservative limits and a high price until configured. */
const UNKNOWN_MODEL: Omit<CatalogEntry, "displayName"> = {
  contextWindow: 100_000,
  maxOutputTokens: 4096,
  inputPer1k: 300,
  outputPer1k: 1500,
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
          }
        : {}),
    };
  });
}

export const DEFAULT_SYSTEM_PROMPT =
  "You are Parley, a helpful assistant. Answer clearly and concisely. Use the tools when they help: " +
  "current_datetime for the date or time, calculator for arithmetic, my_usage for the user's own credits and usage.";
