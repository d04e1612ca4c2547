import type { UsageMetadata } from "@langchain/core/messages";
import type { BilledTokens } from "@parley/accounting";
import { billedTokens } from "../billed-tokens.ts";

/** A turn's tokens as Bedrock bills them (input: neither read from nor written to the cache). */
export type TurnTokens = Required<BilledTokens>;

/**
 * Counts a turn's tokens, once, as the answer streams: Bedrock's figures for every model call
 * that finished (or what was seen when it reports none), plus the call in flight — its prompt
 * (estimated, as plain input) and the deltas seen so far — for a turn that ends early.
 */
export class TokenMeter {
  readonly #promptEstimate: number;
  readonly #used: TurnTokens = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  #callDeltas = 0;
  #callInFlight = false;

  constructor(promptEstimate: number) {
    this.#promptEstimate = promptEstimate;
  }

  /** A model call is about to be made: from now on its prompt counts as sent. */
  callStarted(): void {
    this.#callInFlight = true;
  }

  delta(): void {
    this.#callInFlight = true;
    this.#callDeltas += 1;
  }

  /** Deltas of the call in flight (none: Bedrock answered in one final message). */
  get callDeltas(): number {
    return this.#callDeltas;
  }

  /** A model call finished with Bedrock's usage, when it reported it. */
  callEnded(usage: UsageMetadata | undefined): void {
    const billed = billedTokens(usage);
    if (usage?.input_tokens) {
      this.#used.input += billed.input;
      this.#used.cacheRead += billed.cacheRead;
      this.#used.cacheWrite += billed.cacheWrite;
    } else {
      this.#used.input += this.#promptEstimate;
    }
    this.#used.output += billed.output || this.#callDeltas;
    this.#callInFlight = false;
    this.#callDeltas = 0;
  }

  /** Finished calls' tokens. */
  get used(): TurnTokens {
    return { ...this.#used };
  }

  /**
   * What the turn has consumed so far, the call in flight included — except a call Bedrock
   * refused outright (no delta arrived: credentials, access, throttling, validation), which AWS
   * does not bill, when `refusedCallIsFree`.
   */
  produced(refusedCallIsFree = false): TurnTokens {
    const counts = this.#callInFlight && !(refusedCallIsFree && this.#callDeltas === 0);
    return {
      ...this.#used,
      input: this.#used.input + (counts ? this.#promptEstimate : 0),
      output: this.#used.output + (counts ? this.#callDeltas : 0),
    };
  }
}
