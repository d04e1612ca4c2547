// Runs inside a worker thread of the calculator pool (calculator-pool.ts), never on the server's
// own thread: an expression that eats memory or time takes down only this worker.
import { createRequire } from "node:module";
import type { MathJsInstance } from "mathjs";
import { CALCULATOR_LIMITS, type CalculatorOutcome, type CalculatorTask } from "./limits.ts";

// mathjs's one-file bundle, whose export is an instance with every function (what
// `create(all)` makes, of the same version): it loads in 60–80 ms, against 650–860 ms for the
// hundreds of modules of the package's own entry (measured in a fresh process). A server's first
// calculation waits for a worker to load it, the longer the busier the machine. Each worker has
// its own instance to lock down below.
const math = createRequire(import.meta.url)("mathjs/lib/browser/math.js") as MathJsInstance;

const { maxElements: MAX_ELEMENTS, maxResultChars: MAX_RESULT_CHARS } = CALCULATOR_LIMITS;

// Kept before the override below: the expression language itself cannot reach these any more.
const evaluate = math.evaluate;
const format = math.format;

function disabled(name: string) {
  return () => {
    throw new Error(`Function ${name} is disabled in this calculator.`);
  };
}

/** Numbers as plain numbers: numbers, BigNumbers, and arrays or matrices of them (flattened). */
function numbersIn(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (math.isBigNumber(value) || math.isFraction(value)) return [Number(value.valueOf())];
  if (math.isMatrix(value)) return numbersIn(value.toArray());
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  return [];
}

function checkElementCount(count: number, name: string): void {
  if (!Number.isFinite(count) || count > MAX_ELEMENTS) {
    throw new Error(`${name}: at most ${MAX_ELEMENTS} elements.`);
  }
}

const product = (sizes: number[]) => sizes.reduce((p, n) => p * Math.max(1, Math.abs(n)), 1);

/** ones, zeros, identity: every number given is a dimension. */
const allSizes = (args: unknown[]) => numbersIn(args.filter((arg) => typeof arg !== "string"));
/** random, randomInt: only a leading array or matrix is a size (random(1, 100) is a range). */
const leadingSize = (args: unknown[]) =>
  Array.isArray(args[0]) || math.isMatrix(args[0]) ? numbersIn(args[0]) : [];

function sized(name: string, original: unknown, sizesOf: (args: unknown[]) => number[]) {
  return (...args: unknown[]): unknown => {
    checkElementCount(product(sizesOf(args)), name);
    return (original as (...a: unknown[]) => unknown)(...args);
  };
}

/** range(start, end[, step]) or range("start:end[:step]"): the count is known before building. */
function limitedRange(original: unknown, args: unknown[]): unknown {
  const bounds =
    typeof args[0] === "string" ? args[0].split(":").map(Number) : args.slice(0, 3).flatMap(numbersIn);
  const [start = 0, end = 0, step = 1] = bounds;
  checkElementCount(Math.abs((end - start) / (step || 1)), "range");
  return (original as (...a: unknown[]) => unknown)(...args);
}

// Expressions use range's transform (its end is included, as in `1:3`), not math.range itself.
const originalRange =
  (math.expression as unknown as { transform: Record<string, unknown> }).transform.range ?? math.range;
math.import(
  {
    // Global state: every other call (and user) would see the change.
    import: disabled("import"),
    createUnit: disabled("createUnit"),
    config: disabled("config"),
    reviver: disabled("reviver"),
    replacer: disabled("replacer"),
    // Expressions evaluating expressions: a way around the checks here.
    evaluate: disabled("evaluate"),
    parse: disabled("parse"),
    compile: disabled("compile"),
    chain: disabled("chain"),
    simplify: disabled("simplify"),
    simplifyConstant: disabled("simplifyConstant"),
    simplifyCore: disabled("simplifyCore"),
    derivative: disabled("derivative"),
    resolve: disabled("resolve"),
    rationalize: disabled("rationalize"),
    symbolicEqual: disabled("symbolicEqual"),
    // Builders of huge matrices, limited to MAX_ELEMENTS.
    ones: sized("ones", math.ones, allSizes),
    zeros: sized("zeros", math.zeros, allSizes),
    identity: sized("identity", math.identity, allSizes),
    random: sized("random", math.random, leadingSize),
    randomInt: sized("randomInt", math.randomInt, leadingSize),
    resize: sized("resize", math.resize, (args) => numbersIn(args[1])),
    // The `a:b` syntax calls this too.
    range: (...args: unknown[]) => limitedRange(originalRange, args),
  },
  { override: true },
);

function truncated(text: string): string {
  if (text.length <= MAX_RESULT_CHARS) return text;
  return `${text.slice(0, MAX_RESULT_CHARS)}… [result truncated: ${text.length} characters in all]`;
}

/** The pool's task: evaluates one expression in a scope of its own. */
export default function calculate({ expression, started }: CalculatorTask): CalculatorOutcome {
  started.postMessage("started");
  started.close();
  try {
    // A fresh scope per call: variables and functions an expression defines die with it.
    const value: unknown = evaluate(expression, new Map());
    const text =
      typeof value === "number" || typeof value === "string"
        ? String(value)
        : format(value, { precision: 14 });
    return { ok: true, result: truncated(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
