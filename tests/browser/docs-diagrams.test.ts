// Every mermaid diagram in the docs renders: mermaid itself, in the same chromium as the other
// browser tests, so a diagram GitHub would show as a syntax error fails here first.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mermaidBlocks } from "../../scripts/docs-check/links.ts";
import { launchBrowser } from "../support/browser.ts";
import { repoRoot } from "../support/node.ts";

const mermaidScript = join(
  dirname(createRequire(import.meta.url).resolve("mermaid/package.json")),
  "dist/mermaid.min.js",
);

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe("docs diagrams", () => {
  it("every mermaid block in docs/ and the READMEs renders without an error", async () => {
    const blocks = mermaidBlocks(repoRoot);
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    const page = await browser.newPage();
    await page.setContent("<!doctype html><html><body></body></html>");
    await page.addScriptTag({ path: mermaidScript });
    const failures = await page.evaluate(async (diagrams) => {
      const { mermaid } = globalThis as unknown as {
        mermaid: {
          initialize(config: object): void;
          render(id: string, text: string): Promise<{ svg: string }>;
        };
      };
      mermaid.initialize({ startOnLoad: false });
      const failed: string[] = [];
      for (const [index, { where, source }] of diagrams.entries()) {
        try {
          const { svg } = await mermaid.render(`diagram${index}`, source);
          if (!svg.includes("<svg")) failed.push(`${where}: no SVG`);
        } catch (error) {
          failed.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return failed;
    }, blocks);
    expect(failures).toEqual([]);
  });
});
