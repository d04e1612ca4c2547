// The chat and profile screens end to end, in Debian's chromium, against the real server (built
// SPA, tRPC over HTTP and SSE, PostgreSQL) and the real LangGraph/Bedrock SDK path talking to the
// fake Bedrock server. A person registers, chats, watches answers stream, stops one, uses a tool,
// renames, searches and deletes chats, runs out of credits, and manages their profile; axe-core
// checks every screen on the way and each screen is saved as a screenshot.
import { formatDirective } from "@parley/agent/fake-bedrock";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousA11yViolations } from "../support/axe.ts";
import { launchBrowser, recordFailures, screenshot } from "../support/browser.ts";
import { startChatTestServer } from "../support/chat.ts";
import type { TestServer } from "../support/server.ts";
import { newUserInput, signUpAs } from "../support/users.ts";

const HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";
const SONNET = "anthropic.claude-3-5-sonnet-20241022-v2:0";
/** Enough for Haiku's full hold (its longest answer, ~3,300 credits) but not for Sonnet's (~12,300). */
const WELCOME_CREDITS = 5000;

let server: TestServer;
let stack: Awaited<ReturnType<typeof startChatTestServer>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const user = newUserInput({ displayName: "Ada Lovelace" });

beforeAll(async () => {
  stack = await startChatTestServer({
    BEDROCK_MODEL_ARNS: `${HAIKU},${SONNET}`,
    SIGNUP_CREDITS: String(WELCOME_CREDITS),
  });
  ({ server } = stack);
  browser = await launchBrowser();
  context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 860 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

/** axe-core finds nothing serious or critical on the screen as it is now. */
async function expectAccessible(screen: string) {
  const violations = await seriousA11yViolations(page);
  expect(violations, `accessibility violations on ${screen}`).toEqual([]);
}

/** The balance in the top bar. */
async function topBarBalance(): Promise<{ available: number; held: number }> {
  const pill = page.getByRole("link", { name: /^Balance:/ });
  await pill.waitFor();
  return {
    available: Number(await pill.getAttribute("data-available")),
    held: Number(await pill.getAttribute("data-held")),
  };
}

const answers = () => page.getByRole("article", { name: /^Answer/ });
const settledAnswers = () => page.getByRole("article", { name: "Answer", exact: true });
const wordsIn = async (answer: Locator) =>
  (((await answer.textContent()) ?? "").match(/\bword\d+/g) ?? []).length;

/** The cost printed under an answer ("Cost: 1,234 credits", the prefix for screen readers). */
async function costOf(answer: Locator): Promise<number> {
  const text = (await answer.getByText(/^Cost: [\d,.\s\u202f\u00a0]+ credits?$/).textContent()) ?? "";
  const match = text.replace(/[,\s.\u202f\u00a0]/g, "").match(/Cost:(\d+)credits?/);
  if (!match?.[1]) throw new Error(`no cost in "${text}"`);
  return Number(match[1]);
}

/** Full-page screenshots of a scrolled page would show the sticky top bar halfway down. */
async function scrollToTop() {
  await page.evaluate(() =>
    (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
  );
}

async function send(text: string) {
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await box.press("Enter");
}

recordFailures("chat", () => page);

describe("chat screen", () => {
  it("registers and lands on a new chat, with the balance in the top bar", async () => {
    await page.goto("/register");
    await expect
      .poll(() => page.getByRole("heading", { name: "Create your account" }).isVisible())
      .toBe(true);
    await expectAccessible("register");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Username").fill(user.username);
    await page.getByLabel("Display name").fill(user.displayName);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Create account" }).click();

    await page.waitForURL((url) => url.pathname === "/chat");
    await expect.poll(() => page.getByRole("heading", { name: "New chat" }).isVisible()).toBe(true);
    await expect
      .poll(() => page.getByRole("heading", { name: /What can I help with, Ada/ }).isVisible())
      .toBe(true);
    expect(await topBarBalance()).toEqual({ available: WELCOME_CREDITS, held: 0 });
    // The model picker lists each model with its price.
    const picker = page.getByLabel("Model");
    await expect
      .poll(() => picker.locator("option").allInnerTexts())
      .toEqual([
        expect.stringMatching(/Claude 3\.5 Haiku · 80 in · 400 out credits\/1K tokens/),
        expect.stringMatching(/Claude 3\.5 Sonnet v2 · 300 in · 1,500 out credits\/1K tokens/),
      ]);
    await expect.poll(() => page.getByText(/0 \/ 100,000/).isVisible()).toBe(true);
    // Not in demo mode: no badge.
    expect(await page.getByText("Demo mode").count()).toBe(0);
    await expectAccessible("new chat");
    await screenshot(page, "chat-01-new-chat");
  });

  it("sends the first message: the chat is created, the answer streams in token by token, the balance drops by its cost", async () => {
    const before = await topBarBalance();
    await send("Hello there [[fake tokens=40 rate=20]]");
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);

    // While it streams: Stop instead of Send, the answer grows word by word.
    await expect.poll(() => page.getByRole("button", { name: "Stop" }).isVisible()).toBe(true);
    const counts: number[] = [];
    await expect
      .poll(
        async () => {
          const n = await wordsIn(answers().last());
          counts.push(n);
          return n;
        },
        { timeout: 20_000, interval: 100 },
      )
      .toBe(40);
    expect(
      counts.some((n) => n > 0 && n < 40),
      `word counts seen: ${counts.join(",")}`,
    ).toBe(true);
    await screenshot(page, "chat-02-streaming");

    await expect.poll(() => settledAnswers().count()).toBe(1);
    await expect.poll(() => page.getByRole("button", { name: "Send", exact: true }).isVisible()).toBe(true);
    const cost = await costOf(settledAnswers().last());
    expect(cost).toBeGreaterThan(0);
    await expect.poll(async () => (await topBarBalance()).available).toBe(before.available - cost);
    expect((await topBarBalance()).held).toBe(0);

    // The chat is in the sidebar, titled from the first message, and its title heads the page.
    const list = page.getByRole("navigation", { name: "Chat history" });
    await expect.poll(() => list.getByRole("link", { name: /Hello there/ }).isVisible()).toBe(true);
    await expect
      .poll(() => page.getByRole("heading", { level: 1, name: /Hello there/ }).isVisible())
      .toBe(true);
    await expectAccessible("conversation");
    await screenshot(page, "chat-03-answered");
  });

  it("stops an answer midway: it is kept, marked incomplete, charged for what was written, with a Retry", async () => {
    const before = await topBarBalance();
    // The message and its answer travel in one exchange: no send, then stream.
    const turnRequests: string[] = [];
    const recordTurnRequest = (request: { method(): string; url(): string }) => {
      const path = new URL(request.url()).pathname;
      if (/^\/trpc\/sessions\.(send|stream|sendAndStream)$/.test(path))
        turnRequests.push(`${request.method()} ${path}`);
    };
    page.on("request", recordTurnRequest);
    await send("Tell me a long story [[fake tokens=400 rate=20]]");
    await expect.poll(() => wordsIn(answers().last()), { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
    page.off("request", recordTurnRequest);
    expect(turnRequests).toEqual(["POST /trpc/sessions.sendAndStream"]);
    // Credits are held while the answer is written.
    await expect.poll(async () => (await topBarBalance()).held).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Stop" }).click();

    const stopped = settledAnswers().last();
    await expect.poll(() => settledAnswers().count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => stopped.getByText("Incomplete").isVisible()).toBe(true);
    const words = await wordsIn(stopped);
    expect(words).toBeGreaterThanOrEqual(5);
    expect(words).toBeLessThan(400);
    await expect.poll(() => stopped.getByRole("button", { name: "Retry" }).isVisible()).toBe(true);
    const cost = await costOf(stopped);
    await expect
      .poll(async () => await topBarBalance())
      .toEqual({ available: before.available - cost, held: 0 });
    await expectAccessible("stopped answer");
    await screenshot(page, "chat-04-stopped");
  });

  it("shows a tool call inline, collapsed until opened, and keeps it open when the answer settles", async () => {
    await page.getByRole("link", { name: "New chat", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/chat");
    // The new chat's composer, not the conversation's still on screen while the route changes.
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "New chat" }).isVisible()).toBe(true);
    const input = encodeURIComponent(JSON.stringify({ expression: "6 * 7" }));
    // One token a second: the answer after the tool ("Tool calculator returned: 42") takes about
    // 4 s, time to open the tool's details while it is still being written.
    await send(`What is 6 times 7? [[fake tool=calculator input=${input} rate=1]]`);
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    // The server's first calculation waits for the calculator's worker thread to start and load
    // mathjs, which a busy CI machine slows many times over: room to spare for it.
    const streaming = page.getByRole("article", { name: "Answer being written" });
    await streaming.getByText(/Used tool/).waitFor({ timeout: 45_000 });
    expect(await streaming.getByText("Arguments").isVisible()).toBe(false);
    await streaming.getByText(/Used tool/).click();
    expect(await streaming.getByText("Arguments").isVisible()).toBe(true);

    // The streamed answer gives way to the stored one (the one with the rating buttons); the
    // details the reader opened stay open.
    await expect.poll(() => settledAnswers().count(), { timeout: 45_000 }).toBe(1);
    const answer = settledAnswers().last();
    await answer.getByRole("button", { name: "Good answer" }).waitFor({ timeout: 15_000 });
    expect((await answer.textContent()) ?? "").toContain("Tool calculator returned: 42");
    expect(await answer.getByText("Arguments").isVisible()).toBe(true);
    expect((await answer.locator("pre").first().textContent()) ?? "").toContain('"expression": "6 * 7"');
    expect((await answer.locator("pre").nth(1).textContent()) ?? "").toContain("42");
    await expectAccessible("tool call");
    await screenshot(page, "chat-05-tool-call");

    await answer.getByText(/Used tool/).click();
    expect(await answer.getByText("Arguments").isVisible()).toBe(false);
  });

  it("renders an answer's Markdown with highlighted code and a working copy button", async () => {
    // The fake model answers with exactly this Markdown (text= directive), through the real stack.
    const markdown = [
      "## A heading",
      "Some **bold** text, a [link](https://example.com) and `inline code`.",
      "",
      "- one",
      "- two",
      "",
      "```ts",
      "const answer: number = 6 * 7; // the answer",
      "console.log(answer);",
      "```",
      "",
      "| a | b |",
      "| - | - |",
      "| 1 | 2 |",
    ].join("\n");
    await send(`Show me some Markdown ${formatDirective({ text: markdown })}`);
    const answer = settledAnswers().last();
    await expect
      .poll(() => answer.getByRole("heading", { name: "A heading" }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    await expect.poll(() => answer.locator(".hljs-keyword").count()).toBeGreaterThan(0);
    expect(await answer.locator("table").count()).toBe(1);
    // Settled and stored (its cost shows) before the copy button is used: the streamed message is
    // replaced by the stored one when the answer settles, and a click on the old one would be lost.
    await expect
      .poll(() =>
        costOf(answer).then(
          () => true,
          () => false,
        ),
      )
      .toBe(true);
    await expect
      .poll(async () => {
        await answer.getByRole("button", { name: "Copy code" }).click();
        return answer.getByRole("status").filter({ hasText: "Copied" }).count();
      })
      .toBe(1);
    const clipboard = () =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText();
    expect(await page.evaluate(clipboard)).toContain("const answer: number = 6 * 7;");
    await expectAccessible("markdown answer");
    await screenshot(page, "chat-06-markdown");
  });

  it("renames, searches and deletes chats from the sidebar", async () => {
    const list = page.getByRole("navigation", { name: "Chat history" });
    await expect.poll(() => list.getByRole("listitem").count()).toBe(2);

    // Rename the first chat.
    await list.getByRole("link", { name: /Hello there/ }).hover();
    await list.getByRole("button", { name: /^Rename “Hello there/ }).click();
    const title = page.getByRole("textbox", { name: "Chat title" });
    await title.fill("Greetings and stories");
    await title.press("Enter");
    await expect.poll(() => list.getByRole("link", { name: /Greetings and stories/ }).isVisible()).toBe(true);

    // Search by title (tests/browser/social.test.ts searches message text).
    await page.getByRole("searchbox", { name: "Search chats" }).fill("greetings");
    const results = page.getByRole("navigation", { name: "Search results" });
    await expect.poll(() => results.getByRole("listitem").count()).toBe(1);
    await page.getByRole("searchbox", { name: "Search chats" }).fill("nothing like this");
    await expect.poll(() => page.getByText(/No chats match/).isVisible()).toBe(true);
    await page.getByRole("searchbox", { name: "Search chats" }).fill("");
    await expect.poll(() => list.getByRole("listitem").count()).toBe(2);

    // Delete the open chat (the tool one), after confirming.
    await expect
      .poll(() => page.getByRole("heading", { level: 1, name: /6 times 7/ }).isVisible())
      .toBe(true);
    await list.getByRole("button", { name: /^Delete “What is 6 times 7/ }).click();
    const dialog = page.getByRole("dialog", { name: "Delete this chat?" });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await expectAccessible("delete confirmation");
    await screenshot(page, "chat-07-delete-confirm");
    await dialog.getByRole("button", { name: "Delete chat" }).click();
    await page.waitForURL((url) => url.pathname === "/chat");
    await expect.poll(() => list.getByRole("listitem").count()).toBe(1);
    expect(await list.getByRole("link", { name: /6 times 7/ }).count()).toBe(0);

    // The renamed chat opens by deep link, with its title.
    await list.getByRole("link", { name: /Greetings and stories/ }).click();
    await expect
      .poll(() => page.getByRole("heading", { level: 1, name: "Greetings and stories" }).isVisible())
      .toBe(true);
  });

  it("a small balance: the composer warns before sending on a model it can't cover, and an answer it can is capped", async () => {
    // 600 credits: below the least a Sonnet answer holds (512 tokens at 1,500/1K = 768), above
    // Haiku's (205) but short of Haiku's longest answer (~3,300).
    const admin = await signUpAs(server, "admin");
    const me = await page.evaluate(async () => (await (await fetch("/trpc/auth.me")).json()) as unknown);
    const userId = (me as { result: { data: { json: { id: string } } } }).result.data.json.id;
    await admin.client.admin.credits.set.mutate({ userId, credits: 600 });
    await page.reload();
    await expect.poll(async () => (await topBarBalance()).available).toBe(600);
    await page.getByLabel("Model").selectOption(SONNET);
    await page.getByRole("textbox", { name: "Message" }).fill("One more question, please");
    // Said before sending: Send is off, and the notice names a model the credits cover.
    const notice = page.getByRole("alert").filter({ hasText: "Not enough credits for this answer" });
    await expect.poll(() => notice.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByRole("button", { name: "Send", exact: true }).isDisabled()).toBe(true);
    expect((await notice.textContent()) ?? "").toContain("Claude 3.5 Haiku");
    expect(await page.getByRole("link", { name: "See your credits and usage" }).isVisible()).toBe(true);
    await expectAccessible("not enough credits");
    await screenshot(page, "chat-08-not-enough-credits");
    // One click back to a model the credits cover.
    await notice.getByRole("button", { name: "Switch to Claude 3.5 Haiku" }).click();
    await expect.poll(() => page.getByLabel("Model").inputValue()).toBe(HAIKU);
    await expect.poll(() => notice.isVisible()).toBe(false);
    // Haiku's answer starts with what the credits hold, and says it may be cut short.
    const before = await settledAnswers().count();
    await send("One more question, please [[fake tokens=6]]");
    await expect.poll(() => settledAnswers().count(), { timeout: 15_000 }).toBe(before + 1);
    const capped = settledAnswers().last();
    await expect.poll(() => capped.getByText(/so it may be cut short/).isVisible()).toBe(true);
    expect(await costOf(capped)).toBeLessThanOrEqual(600);
    await screenshot(page, "chat-08b-capped-answer");

    // An administrator takes the rest away: the balance reads 0 and sending is off.
    await admin.client.admin.credits.set.mutate({ userId, credits: 0 });
    await page.reload();
    await expect.poll(async () => (await topBarBalance()).available).toBe(0);
    await expect
      .poll(() => page.getByRole("alert").filter({ hasText: "You've run out of credits" }).isVisible())
      .toBe(true);
    await page.getByRole("textbox", { name: "Message" }).fill("Anyone there?");
    expect(await page.getByRole("button", { name: "Send", exact: true }).isDisabled()).toBe(true);
    await expectAccessible("out of credits");
    await screenshot(page, "chat-09-out-of-credits");
  });

  it("works at phone width: the chat list is a drawer", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect
      .poll(() => page.getByRole("heading", { level: 1, name: "Greetings and stories" }).isVisible())
      .toBe(true);
    expect(await page.getByRole("complementary", { name: "Chats" }).isVisible()).toBe(false);
    await expectAccessible("conversation at phone width");
    await screenshot(page, "chat-10-phone");

    await page.getByRole("button", { name: "Show chats" }).click();
    const drawer = page.getByRole("complementary", { name: "Chats" });
    await expect.poll(() => drawer.isVisible()).toBe(true);
    await expectAccessible("chat list drawer");
    await screenshot(page, "chat-11-phone-drawer");
    await page.keyboard.press("Escape");
    await expect.poll(() => drawer.isVisible()).toBe(false);
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it("follows the OS into dark mode, still readable", async () => {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    // The chat so far: two answers, then the one the small balance capped.
    await expect.poll(() => settledAnswers().count()).toBe(3);
    await settledAnswers().first().hover();
    await expectAccessible("conversation in dark mode");
    await screenshot(page, "chat-12-dark");
    await page.emulateMedia({ colorScheme: "light" });
  });
});

describe("profile screen", () => {
  it("shows credits, usage over time and the ledger; edits the name and password; signs out everywhere", async () => {
    await page.getByRole("link", { name: /^Balance:/ }).click();
    await page.waitForURL((url) => url.pathname === "/profile");
    await expect
      .poll(() => page.getByRole("heading", { level: 1, name: "Ada Lovelace" }).isVisible())
      .toBe(true);
    await expect.poll(() => page.getByRole("heading", { name: "Credits" }).isVisible()).toBe(true);

    // Usage: totals and the lazily loaded chart.
    const usage = page.getByRole("region", { name: "Your usage" });
    await expect
      .poll(() => usage.locator("svg.recharts-surface").count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => usage.getByText("Credits spent", { exact: true }).isVisible()).toBe(true);
    // The credit history: one row per answer (its hold, charge and release inside it), the welcome
    // credits and the administrator's change.
    const ledger = page.getByRole("region", { name: "Credit history" });
    const answers = ledger.getByRole("row").filter({ hasText: /^.*Answer/ });
    await expect.poll(() => answers.count()).toBeGreaterThan(1);
    expect(await ledger.getByText("Held for an answer").count()).toBe(0);
    // The earlier out-of-credits step set the balance twice.
    expect(await ledger.getByRole("cell", { name: "Balance set" }).count()).toBe(2);
    const firstAnswer = answers.last();
    await firstAnswer.getByRole("button", { name: "Show details" }).click();
    await expect.poll(() => ledger.getByText("Held for an answer").count()).toBe(1);
    expect(await ledger.getByText("Hold released").count()).toBe(1);
    await firstAnswer.getByRole("button", { name: "Hide details" }).click();
    await expect.poll(() => ledger.getByText("Held for an answer").count()).toBe(0);
    await ledger.getByLabel("Show", { exact: true }).selectOption("allocate");
    await expect.poll(() => ledger.getByRole("row").count()).toBe(2); // header + the welcome credits
    expect(await ledger.getByText("Page 1 of 1").isVisible()).toBe(true);
    expect(await ledger.getByRole("cell", { name: "Credits added" }).isVisible()).toBe(true);
    await expectAccessible("profile");
    await scrollToTop();
    await screenshot(page, "profile-01");

    // Display name.
    const name = page.getByRole("textbox", { name: "Display name" });
    await name.fill("Ada King");
    await page.getByRole("button", { name: "Save name" }).click();
    await expect.poll(() => page.getByText("Display name saved").isVisible()).toBe(true);
    await expect
      .poll(() => page.getByRole("button", { name: "Account menu for Ada King" }).isVisible())
      .toBe(true);

    // Password: a wrong current password is refused at the field, the right one works.
    await page.getByLabel("Current password").fill("not-my-password");
    await page.getByLabel("New password", { exact: true }).fill("an-even-longer-passphrase");
    await page.getByLabel("Confirm new password").fill("an-even-longer-passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => page.getByText("Current password is incorrect.").isVisible()).toBe(true);
    await page.getByLabel("Current password").fill(user.password);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => page.getByText(/Password changed/).isVisible()).toBe(true);
    await expectAccessible("profile after edits");
    await scrollToTop();
    await screenshot(page, "profile-02-edited");

    // In dark mode, and at phone width.
    // Reloaded, so no colour transition is caught halfway by the contrast check.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    await expect
      .poll(() => page.getByRole("region", { name: "Credit history" }).getByRole("row").count())
      .toBeGreaterThan(1);
    await expectAccessible("profile in dark mode");
    await scrollToTop();
    await screenshot(page, "profile-04-dark");
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 390, height: 844 });
    await expectAccessible("profile at phone width");
    await scrollToTop();
    await screenshot(page, "profile-03-phone");
    await page.setViewportSize({ width: 1280, height: 860 });

    // Sign out everywhere: back to the sign-in page, and the chat is refused.
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.waitForURL(/\/login/);
    await expectAccessible("sign in");
    await page.goto("/chat");
    await page.waitForURL(/\/login/);
    expect(pageErrors).toEqual([]);
  });
});
