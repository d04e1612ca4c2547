import { describe, expect, it } from "vitest";
import { TokenMeter } from "./token-meter.ts";

describe("TokenMeter", () => {
  it("counts finished calls by Bedrock's figures, and the call in flight by its prompt and deltas", () => {
    const meter = new TokenMeter(100);
    meter.callStarted();
    for (let i = 0; i < 5; i++) meter.delta();
    expect(meter.produced()).toMatchObject({ input: 100, output: 5 });
    meter.callEnded({ input_tokens: 120, output_tokens: 6, total_tokens: 126 });
    expect(meter.used).toMatchObject({ input: 120, output: 6 });
    meter.callStarted(); // the tool loop calls the model again
    meter.delta();
    expect(meter.produced()).toMatchObject({ input: 220, output: 7 });
  });

  it("splits the prompt cache's reads and writes out of LangChain's input count, as Bedrock bills them", () => {
    const meter = new TokenMeter(100);
    meter.callStarted();
    meter.callEnded({
      input_tokens: 1500,
      output_tokens: 10,
      total_tokens: 1510,
      input_token_details: { cache_read: 1200, cache_creation: 290 },
    });
    expect(meter.used).toEqual({ input: 10, output: 10, cacheRead: 1200, cacheWrite: 290 });
    meter.callStarted();
    meter.delta();
    // The call in flight counts its estimated prompt as plain input.
    expect(meter.produced()).toEqual({ input: 110, output: 11, cacheRead: 1200, cacheWrite: 290 });
  });

  it("falls back to the estimate and the deltas seen when Bedrock reports no usage", () => {
    const meter = new TokenMeter(50);
    meter.callStarted();
    meter.delta();
    meter.delta();
    meter.callEnded(undefined);
    expect(meter.used).toMatchObject({ input: 50, output: 2 });
  });

  it("a call refused outright (no delta) is free when asked; one cut mid-stream is not", () => {
    const refused = new TokenMeter(80);
    refused.callStarted();
    expect(refused.produced(true)).toMatchObject({ input: 0, output: 0 });
    expect(refused.produced(false)).toMatchObject({ input: 80, output: 0 });
    const cut = new TokenMeter(80);
    cut.callStarted();
    cut.delta();
    expect(cut.produced(true)).toMatchObject({ input: 80, output: 1 });
  });
});
