import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configSchema, loadConfig } from "./config.ts";

const envExample = readFileSync(new URL("../../../.env.example", import.meta.url), "utf8");
const documented = envExample
  .split("\n")
  .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
  .filter((name): name is string => name !== undefined);

describe(".env.example", () => {
  it("lists every variable the config schema reads, and nothing else", () => {
    expect(documented.sort()).toEqual(Object.keys(configSchema.shape).sort());
  });

  it("holds values the schema accepts", () => {
    const values = Object.fromEntries(
      envExample
        .split("\n")
        .map((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1], m[2]]),
    );
    expect(() => loadConfig(values)).not.toThrow();
  });
});
