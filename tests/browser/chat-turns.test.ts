// Chat turns the server owns, seen from the browser: a 100,000-character paste is answered, and a
// reload in the middle of an answer re-attaches to it (it keeps streaming, and Stop still works).
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatInBrowser, screenshot } from "../support/browser.ts";
import type { TestServer } from "../support/server.ts";

let server: TestServer;
let page: Page;
let pageErrors: string[];
let close: () => Promise<void>;

beforeAll(async () => {
  ({
    stack: { server },
    page,
    pageErrors,
    close,
  } = await chatInBrowser());
});

afterAll(() => close?.());

const settledAnswers = () => page.getByRole("article", { name: "Answer", exact: true });
const answers = () => page.getByRole("article", { name: /^Answer/ });
const wordsIn = async (index: number) =>
  (((await answers().nth(index).textContent()) ?? "").match(/\bword\d+/g) ?? []).length;

describe("chat turns in the browser", () => {
  it("a 100,000-character paste is sent and answered", async () => {
    const directive = " [[fake tokens=8]]";
    const document =
      `${"A long pasted log line. ".repeat(5000)}`.slice(0, 100_000 - directive.length) + directive;
    expect(document).toHaveLength(100_000);
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill(document);
    await expect.poll(() => page.getByText(/100,000 \/ 100,000/).isVisible()).toBe(true);
    await box.press("Enter");
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await expect.poll(() => settledAnswers().count(), { timeout: 20_000 }).toBe(1);
    // The stored answer's text renders once its Markdown is in: wait for it rather than look once.
    await expect.poll(() => wordsIn(0)).toBe(8);
    const sessionId = page.url().split("/").at(-1) ?? "";
    const stored = await server.db.em
      .fork()
      .getConnection()
      .execute<{ n: number }[]>(
        "select length(content) as n from chat_messages where session_id = ? and role = 'user'",
        [sessionId],
      );
    expect(stored[0]?.n).toBe(100_000);
    await screenshot(page, "turns-01-long-paste");
  });

  it("a reload mid-answer re-attaches: the answer keeps streaming, then Stop ends it", async () => {
    await page.getByRole("link", { name: "New chat", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/chat");
    // The address changes before the new-chat page renders: wait for it (the last chat's answer
    // gone), so the message is not typed into the composer that is about to go.
    await expect.poll(() => answers().count()).toBe(0);
    const box = page.getByRole("textbox", { name: "Message" });
    const message = "A long one please [[fake tokens=600 rate=20]]";
    await box.fill(message);
    await expect.poll(() => box.inputValue()).toBe(message);
    await box.press("Enter");
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await expect.poll(() => wordsIn(0), { timeout: 15_000 }).toBeGreaterThanOrEqual(5);

    await page.reload();
    // The answer is shown again after the reload and carries on growing.
    await expect.poll(() => answers().count(), { timeout: 15_000 }).toBe(1);
    const first = await (async () => {
      await expect.poll(() => wordsIn(0), { timeout: 15_000 }).toBeGreaterThan(0);
      return wordsIn(0);
    })();
    await expect.poll(() => wordsIn(0), { timeout: 15_000 }).toBeGreaterThan(first + 3);
    await expect.poll(() => page.getByRole("button", { name: "Stop" }).isVisible()).toBe(true);
    await screenshot(page, "turns-02-reattached");

    await page.getByRole("button", { name: "Stop" }).click();
    await expect.poll(() => settledAnswers().count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => settledAnswers().first().getByText("Incomplete").isVisible()).toBe(true);
    const words = await wordsIn(0);
    expect(words).toBeGreaterThan(first);
    expect(words).toBeLessThan(600);
    expect(pageErrors).toEqual([]);
  });
});
