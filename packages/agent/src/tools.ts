import type { RunnableConfig } from "@langchain/core/runnables";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { calculateInSandbox } from "./sandbox/calculator-pool.ts";

/**
 * What the my_usage tool reads: the signed-in user's own figures, nothing else (the tools are
 * created once; the call's config says whose turn it is).
 */
export type UsageReader = (config: RunnableConfig) => Promise<Record<string, unknown>>;

/**
 * The built-in tools. To add one, define it here with a zod schema and add it to the list: the
 * model sees its name, description and schema; ToolNode runs it.
 */
export function createTools(readUsage: UsageReader) {
  const currentDatetime = tool(
    async ({ timeZone }) => {
      const now = new Date();
      try {
        return JSON.stringify({
          iso: now.toISOString(),
          local: now.toLocaleString("en-GB", {
            timeZone: timeZone ?? "UTC",
            dateStyle: "full",
            timeStyle: "long",
          }),
          timeZone: timeZone ?? "UTC",
        });
      } catch {
        return JSON.stringify({ error: `Unknown time zone "${timeZone}".`, iso: now.toISOString() });
      }
    },
    {
      name: "current_datetime",
      description: "The current date and time, optionally in an IANA time zone such as Europe/Paris.",
      schema: z.object({ timeZone: z.string().max(64).optional().describe("IANA time zone; default UTC") }),
    },
  );

  const calculator = tool(
    // mathjs parses and evaluates expressions itself (no JavaScript eval), in a worker thread with
    // capped memory, time and result size (sandbox/), so no expression can hurt the server.
    ({ expression }) => calculateInSandbox(expression),
    {
      name: "calculator",
      description: "Evaluates an arithmetic expression exactly as written, e.g. '(17 * 23) / 4 + sqrt(2)'.",
      schema: z.object({ expression: z.string().min(1).max(500) }),
    },
  );

  const myUsage = tool(async (_input, config) => JSON.stringify(await readUsage(config)), {
    name: "my_usage",
    description: "The user's own credit balance and usage over the last 30 days (read-only).",
    schema: z.object({}),
  });

  return [currentDatetime, calculator, myUsage];
}
