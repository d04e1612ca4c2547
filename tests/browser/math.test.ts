// Math in answers: `$…$` and `$$…$$` typeset by KaTeX, whose code and stylesheet (and fonts) load in
// a chunk of their own only once an answer has a `$`: never on an empty chat, nor for an answer
// without one. It runs under the server's Content-Security-Policy with no violation, and currency
// in prose ("$5 and $10") stays text.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatDirective } from "@parley/agent/fake-bedrock";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousA11yViolations } from "../support/axe.ts";
import { launchBrowser } from "../support/browser.ts";
import { startChatTestServer } from "../support/chat.ts";
import type { TestServer } from "../support/server.ts";
import { signUp } from "../support/users.ts";

const manifestPath = join(import.meta.dirname, "..", "..", "apps", "web", "dist", ".vite", "manifest.json");
const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<
  string,
  { file: string; css?: string[] }
>;
const mathEntry = manifest["src/components/chat/MathMarkdown.tsx"];
/** The math renderer's chunk and its stylesheet (KaTeX's CSS), as the build named them. */
const mathChunk = `/${mathEntry?.file ?? "missing-math-chunk"}`;
const mathStylesheet = `/${mathEntry?.css?.[0] ?? "missing-math-stylesheet"}`;

let stack: Awaited<ReturnType<typeof startChatTestServer>>;
let server: TestServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  stack = await startChatTestServer({ SIGNUP_CREDITS: "5000" });
  ({ server } = stack);
  browser = await launchBrowser();
  const account = await signUp(server);
  context = await browser.newContext({ baseURL: server.url });
  await context.addCookies([{ name: "parley_session", value: account.token, url: server.url }]);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

/** A fresh tab, the paths it requests and the CSP violations it reports. */
async function watchedPage(): Promise<{ page: Page; paths: string[]; violations: string[] }> {
  const page = await context.newPage();
  const paths: string[] = [];
  const violations: string[] = [];
  page.on("request", (request) => paths.push(new URL(request.url()).pathname));
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction("reportCspViolation", (text: string) => violations.push(text));
  await page.addInitScript(`
    document.addEventListener("securitypolicyviolation", (event) =>
      window.reportCspViolation(event.violatedDirective + " " + event.blockedURI));
  `);
  return { page, paths, violations };
}

async function ask(page: Page, question: string, answerText: string): Promise<void> {
  const box = page.getByRole("textbox", { name: "Message" });
  await expect.poll(() => box.isVisible()).toBe(true);
  await box.fill(`${question} ${formatDirective({ text: answerText })}`);
  await box.press("Enter");
}

describe("math in answers", () => {
  it("loads KaTeX only for an answer with math, typesets it, and leaves currency as text", async () => {
    expect(mathChunk).toMatch(/^\/assets\/MathMarkdown-.+\.js$/);
    expect(mathStylesheet).toMatch(/^\/assets\/MathMarkdown-.+\.css$/);
    const { page, paths, violations } = await watchedPage();
    await page.goto("/chat");
    await expect.poll(() => page.getByRole("textbox", { name: "Message" }).isVisible()).toBe(true);
    await page.waitForLoadState("networkidle");
    expect(paths).not.toContain(mathStylesheet);
    expect(paths).not.toContain(mathChunk);

    // An answer without a dollar: Markdown, but no KaTeX.
    await ask(page, "Plain please", "Just **words** here.");
    const answers = page.getByRole("article", { name: "Answer", exact: true });
    await expect
      .poll(() => answers.locator("strong").first().textContent(), { timeout: 20_000 })
      .toBe("words");
    await page.waitForLoadState("networkidle");
    expect(paths).not.toContain(mathStylesheet);

    const mathAnswer = [
      "Energy is $E = mc^2$, and the area is",
      "",
      "$$",
      "\\int_0^1 x\\,dx",
      "$$",
      "",
      "Tickets cost $5 and $10 at the door.",
      "",
      "Plans: $5/$20 a month.",
    ].join("\n");
    await ask(page, "Some physics", mathAnswer);
    const answer = answers.last();
    await expect.poll(() => answer.locator(".katex-display .katex").count(), { timeout: 20_000 }).toBe(1);
    // Inline: one formula in the first paragraph, whose MathML carries the source for screen readers.
    const inline = answer.locator("p .katex");
    expect(await inline.count()).toBe(1);
    expect(await inline.locator("annotation").textContent()).toBe("E = mc^2");
    expect(await answer.locator(".katex-display annotation").textContent()).toBe("\\int_0^1 x\\,dx");
    const prose = answer.locator("p", { hasText: "Tickets" });
    expect(await prose.textContent()).toBe("Tickets cost $5 and $10 at the door.");
    expect(await prose.locator(".katex").count()).toBe(0);
    expect(await answer.locator("p", { hasText: "Plans" }).textContent()).toBe("Plans: $5/$20 a month.");
    expect(await answer.locator(".katex").count()).toBe(2);
    expect(paths).toContain(mathChunk);
    expect(paths).toContain(mathStylesheet);
    // KaTeX's stylesheet applied: its fonts are in use and came from our own origin.
    // (Strings evaluated in the page: the tests' TypeScript has no DOM types.)
    await expect
      .poll(() =>
        page.evaluate<string>('getComputedStyle(document.querySelector(".katex .mord")).fontFamily'),
      )
      .toMatch(/KaTeX/);
    await page.evaluate("document.fonts.ready.then(() => true)");
    await page.waitForLoadState("networkidle");
    expect(paths.some((path) => /^\/assets\/KaTeX_.+\.woff2$/.test(path))).toBe(true);

    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(violations).toEqual([]);
    await page.close();
  });
});
