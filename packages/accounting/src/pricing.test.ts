import { describe, expect, it } from "vitest";
import { cachingPriced, creditsFor } from "./pricing.ts";

describe("creditsFor", () => {
  const haiku = { inputPer1k: 80, outputPer1k: 400 };
  const cached = { ...haiku, cacheReadPer1m: 8_000, cacheWritePer1m: 100_000 };

  it("without cache tokens it is the per-1,000 formula, rounded up once", () => {
    expect(creditsFor(haiku, { input: 1000, output: 1000 })).toBe(480);
    expect(creditsFor(haiku, { input: 1, output: 0 })).toBe(1); // 0.08 → 1
    expect(creditsFor(cached, { input: 12_345, output: 678 })).toBe(
      Math.ceil((12_345 * 80 + 678 * 400) / 1000),
    );
  });

  it("prices cache reads and writes per million tokens, apart from plain input", () => {
    // 100 plain (8,000,000 millionths) + 50,000 read (400,000,000) + 2,000 written (200,000,000)
    // + 300 out (120,000,000): 728,000,000 millionths = 728 credits.
    expect(creditsFor(cached, { input: 100, output: 300, cacheRead: 50_000, cacheWrite: 2_000 })).toBe(728);
    // A single cache read is 0.008 of a credit: rounded up to 1.
    expect(creditsFor(cached, { input: 0, output: 0, cacheRead: 1 })).toBe(1);
  });

  it("charges cache tokens of a model without cache prices as input", () => {
    expect(creditsFor(haiku, { input: 0, output: 0, cacheRead: 1000, cacheWrite: 1000 })).toBe(160);
    expect(cachingPriced(haiku)).toBe(false);
    expect(cachingPriced({ ...haiku, cacheReadPer1m: 1, cacheWritePer1m: null })).toBe(false);
    expect(cachingPriced(cached)).toBe(true);
  });

  it("stays exact for counts whose products pass 2^53", () => {
    const price = {
      inputPer1k: 10_000_000,
      outputPer1k: 0,
      cacheReadPer1m: 2_000_000_000,
      cacheWritePer1m: 0,
    };
    expect(creditsFor(price, { input: 0, output: 0, cacheRead: 2_000_000_000 })).toBe(4_000_000_000_000);
  });
});
