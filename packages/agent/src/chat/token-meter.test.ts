import { describe, expect, it } from "vitest";
import { TokenMeter } from "./token-meter.ts";

describe("TokenMeter", () => {
  it("counts finished calls by Bedrock's figures, and the call in flight by its prompt and deltas", () => {
    const meter = new TokenMeter(100);
    meter.callStarted();
    for (let i = 0; i < 5; i++) meter.delta();
    expect(meter.produced()).toEqual({ input: 100, output: 5 });
    meter.callEnded({ input_tokens: 120, output_tokens: 6 });
    expect(meter.used).toEqual({ input: 120, output: 6 });
    meter.callStarted(); // the tool loop calls the model again
    meter.delta();
    expect(meter.produced()).toEqual({ input: 220, output: 7 });
  });

  it("falls back to the estimate and the deltas seen when Bedrock reports no usage", () => {
    const meter = new TokenMeter(50);
    meter.callStarted();
    meter.delta();
    meter.delta();
    meter.callEnded(undefined);
    expect(meter.used).toEqual({ input: 50, output: 2 });
  });

  it("a call refused outright (no delta) is free when asked; one cut mid-stream is not", () => {
    const refused = new TokenMeter(80);
    refused.callStarted();
    expect(refused.produced(true)).toEqual({ input: 0, output: 0 });
    expect(refused.produced(false)).toEqual({ input: 80, output: 0 });
    const cut = new TokenMeter(80);
    cut.callStarted();
    cut.delta();
    expect(cut.produced(true)).toEqual({ input: 80, output: 1 });
  });
});
