import { DomainError } from "@parley/core";
import type { ModelSpec } from "../configuration.ts";

/**
 * The fewest output tokens an answer is started with when the balance cannot hold the model's full
 * output (about a few paragraphs): below it the send is refused as unaffordable.
 */
export const MIN_ANSWER_TOKENS = 512;

/** The models this server offers (the first is the default) and the limits that follow from them. */
export class ModelCatalog {
  readonly models: ModelSpec[];

  constructor(models: ModelSpec[]) {
    this.models = models;
  }

  /** The requested model (or the default), or BAD_REQUEST listing the ones there are. */
  modelFor(modelId?: string): ModelSpec {
    const spec = modelId ? this.models.find((m) => m.id === modelId) : this.models[0];
    if (!spec) {
      const available = this.models.map((m) => m.id);
      throw new DomainError(
        "BAD_REQUEST",
        `Unknown model "${modelId}". Available: ${available.join(", ")}.`,
        {
          field: "modelId",
          models: available,
        },
      );
    }
    return spec;
  }

  /** A chat's stored model if it is still offered, else the default. */
  offeredOr(modelId: string | undefined): ModelSpec {
    return this.models.find((m) => m.id === modelId) ?? this.modelFor();
  }

  /** The output tokens an answer is worth starting with (the floor of a reduced hold). */
  minAnswerTokens(spec: ModelSpec = this.modelFor()): number {
    return Math.min(MIN_ANSWER_TOKENS, spec.maxOutputTokens);
  }

  /** The longest answer any offered model writes: the bound of a chat's maxTokens setting. */
  get maxAnswerTokens(): number {
    return Math.max(...this.models.map((m) => m.maxOutputTokens));
  }
}
