import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AxeResults, ImpactValue } from "axe-core";
import type { Page } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface A11yViolation {
  rule: string;
  impact: ImpactValue | undefined;
  help: string;
  targets: string[];
  /** axe's explanation for the first offending element (e.g. the contrast ratio it measured). */
  summary: string | undefined;
}

/**
 * Runs axe-core in the page (WCAG 2.x A and AA rules plus best practices) and returns the
 * violations of serious or critical impact, in a shape that reads well in a failed assertion.
 */
export async function seriousA11yViolations(page: Page): Promise<A11yViolation[]> {
  // A colour transition caught halfway (hover, a colour-scheme switch) would read as low contrast.
  await page.evaluate(async () => {
    const { document } = globalThis as unknown as {
      document: { getAnimations(): { constructor: { name: string }; finished: Promise<unknown> }[] };
    };
    const transitions = document.getAnimations().filter((a) => a.constructor.name === "CSSTransition");
    await Promise.all(transitions.map((t) => t.finished.catch(() => undefined)));
  });
  const loaded = await page.evaluate(() => "axe" in globalThis);
  // Evaluated through the DevTools protocol: a <script> tag would be refused by the page's CSP.
  if (!loaded) await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    (globalThis as unknown as { axe: { run: () => Promise<AxeResults> } }).axe.run(),
  );
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      rule: v.id,
      impact: v.impact ?? undefined,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
      summary: v.nodes[0]?.failureSummary,
    }));
}
