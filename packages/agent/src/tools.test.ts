import { afterAll, describe, expect, it } from "vitest";
import { closeToolSandbox } from "./sandbox/calculator-pool.ts";
import { CALCULATOR_LIMITS } from "./sandbox/limits.ts";
import { createTools } from "./tools.ts";

const calculator = createTools(async () => ({})).find((t) => t.name === "calculator");
if (!calculator) throw new Error("no calculator tool");

const calculate = async (expression: string): Promise<string> =>
  String(await calculator.invoke({ expression }));

afterAll(() => closeToolSandbox());

describe("calculator tool, sandboxed in a worker", () => {
  it("does ordinary arithmetic", async () => {
    expect(await calculate("6 * 7")).toBe("42");
    expect(await calculate("(17 * 23) / 4 + sqrt(2)")).toMatch(/^99\.164/);
    expect(await calculate("ones(2, 2)")).toBe("[[1, 1], [1, 1]]");
    expect(await calculate("sum(1:100)")).toBe("5050");
    expect(await calculate("random(1, 100) >= 1")).toBe("true");
  });

  it.each([
    ["ones(30000, 30000)", /ones: at most/],
    ["zeros([30000, 30000])", /zeros: at most/],
    ["identity(1e6)", /identity: at most/],
    ["range(1, 3e6)", /range: at most/],
    ["1:3e6", /range: at most/],
    ["resize([1], [1e5, 1e5])", /resize: at most/],
    ['createUnit("foo", {override: true})', /createUnit is disabled/],
    ["import({pi: 3}, {override: true})", /import is disabled/],
    ['config({number: "BigNumber"})', /config is disabled/],
    ['evaluate("1+1")', /evaluate is disabled/],
  ])("refuses %s with a tool error", async (expression, reason) => {
    const result = await calculate(expression);
    expect(result).toMatch(/^Cannot evaluate: /);
    expect(result).toMatch(reason);
  });

  it("leaves no global state behind: units, variables and functions die with the call", async () => {
    await calculate('createUnit("foo", {override: true})');
    expect(await calculate("5 foo")).toMatch(/^Cannot evaluate: /);
    await calculate("x = 5; f(n) = n + 1");
    expect(await calculate("x")).toMatch(/^Cannot evaluate: Undefined symbol x/);
    expect(await calculate("f(1)")).toMatch(/^Cannot evaluate: /);
    expect(await calculate("1/3")).toBe(String(1 / 3));
  });

  it("cuts a long result and says so", async () => {
    const result = await calculate("ones(100, 100)");
    expect(result.length).toBeLessThan(CALCULATOR_LIMITS.maxResultChars + 100);
    expect(result).toMatch(/\[result truncated: \d+ characters in all\]$/);
  });

  it(
    "stops a calculation that runs too long, and the next call still works",
    async () => {
      const result = await calculate("f(n) = n < 1 ? 0 : f(n - 1) + f(n - 1); f(60)");
      expect(result).toMatch(/^Cannot evaluate: the calculation took longer than/);
      expect(await calculate("2 + 2")).toBe("4");
    },
    CALCULATOR_LIMITS.timeoutMs * 6,
  );

  it(
    "a calculation that exhausts the worker's memory kills only the worker",
    async () => {
      // Doubling a matrix on each step: every builder is small, the total is not.
      const result = await calculate(
        "f(x, n) = n < 1 ? size(x) : f(concat(x, x), n - 1); f(ones(100, 100), 40)",
      );
      expect(result).toMatch(/^Cannot evaluate: /);
      expect(await calculate("3 * 3")).toBe("9");
    },
    CALCULATOR_LIMITS.timeoutMs * 6,
  );
});
