import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { beforeEach, onTestFailed } from "vitest";
import { startChatTestServer } from "./chat.ts";
import { repoRoot } from "./node.ts";
import { newUserInput } from "./users.ts";

/** Debian's chromium; browser tests never download one. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const screenshotDir = join(repoRoot, "test-artifacts", "screenshots");

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

/** Saves a full-page screenshot under test-artifacts/screenshots (kept by CI as an artifact). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/**
 * For the test file calling it: when a test fails, saves the screen it failed on (`<prefix>-failed-…`)
 * and prints the page's address and what its alerts said, which CI's log keeps when the picture is gone.
 */
export function recordFailures(prefix: string, page: () => Page | undefined): void {
  beforeEach(({ task }) => {
    onTestFailed(async () => {
      const current = page();
      if (!current || current.isClosed()) return;
      await screenshot(current, `${prefix}-failed-${task.name.replace(/\W+/g, "-").slice(0, 60)}`).catch(
        () => undefined,
      );
      const alerts = await current
        .getByRole("alert")
        .allInnerTexts()
        .catch(() => []);
      console.error(`"${task.name}" failed on ${current.url()}; alerts: ${JSON.stringify(alerts)}`);
    });
  });
}

/**
 * Signs in through the sign-in form (to `next` afterwards, when given) and waits until the page
 * has left it; `timeout` bounds that wait.
 */
export async function signInInBrowser(
  page: Page,
  login: string,
  password: string,
  options: { next?: string; timeout?: number } = {},
): Promise<void> {
  await page.goto(options.next ? `/login?next=${encodeURIComponent(options.next)}` : "/login");
  await page.getByLabel("Email or username").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(
    (url) => !url.pathname.startsWith("/login"),
    options.timeout === undefined ? {} : { timeout: options.timeout },
  );
}

/** Registers a new account through the sign-up form; the page ends on the chat screen. */
export async function registerInBrowser(page: Page): Promise<void> {
  const user = newUserInput();
  await page.goto("/register");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL((url) => url.pathname === "/chat");
}

/** A chat test server and a browser page signed in as a new person with credits, and its page errors. */
export interface ChatInBrowser {
  stack: Awaited<ReturnType<typeof startChatTestServer>>;
  page: Page;
  pageErrors: string[];
  close(): Promise<void>;
}

/** The set-up of the chat screen's browser tests: `env` on top of 200,000 sign-up credits. */
export async function chatInBrowser(
  env: Record<string, string> = {},
  viewport = { width: 1280, height: 860 },
): Promise<ChatInBrowser> {
  const stack = await startChatTestServer({ SIGNUP_CREDITS: "200000", ...env });
  const browser = await launchBrowser();
  const context = await browser.newContext({ baseURL: stack.server.url, viewport });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await registerInBrowser(page);
  return {
    stack,
    page,
    pageErrors,
    async close() {
      await context.close();
      await browser.close();
      await stack.close();
    },
  };
}
