// Versions of questions and answers in the browser: regenerate and edit add versions switched
// with ‹ 2/3 › (persisted across a reload), Retry on a stopped answer regenerates it in place,
// Esc stops an answer, a refused first message leaves no chat behind, and a new answer stays in
// view after the person had scrolled up.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatInBrowser, recordFailures, screenshot } from "../support/browser.ts";
import type { TestServer } from "../support/server.ts";
import { signUpAs } from "../support/users.ts";

const HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";

let server: TestServer;
let page: Page;
let pageErrors: string[];
let close: () => Promise<void>;
let userId: string;

beforeAll(async () => {
  ({
    stack: { server },
    page,
    pageErrors,
    close,
  } = await chatInBrowser({ BEDROCK_MODEL_ARNS: HAIKU }));
  const me = await page.evaluate(async () => (await (await fetch("/trpc/auth.me")).json()) as unknown);
  userId = (me as { result: { data: { json: { id: string } } } }).result.data.json.id;
});

recordFailures("branches", () => page);

afterAll(() => close?.());

const questions = () => page.getByRole("article", { name: "Your message" });
const answers = () => page.getByRole("article", { name: /^Answer/ });
const settledAnswers = () => page.getByRole("article", { name: "Answer", exact: true });
const writing = () => page.getByRole("article", { name: "Answer being written" });
const wordsIn = async (index: number) =>
  (((await answers().nth(index).textContent()) ?? "").match(/\bword\d+/g) ?? []).length;

async function send(text: string) {
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await box.press("Enter");
}

async function newChat() {
  await page.getByRole("link", { name: "New chat", exact: true }).click();
  await page.waitForURL((url) => url.pathname === "/chat");
}

const chatRows = () =>
  server.db.em
    .fork()
    .getConnection()
    .execute<{ title: string }[]>("select title from chat_sessions where user_id = ?", [userId]);

describe("versions of questions and answers", () => {
  it("a refused first message stays in the composer and leaves no chat in the sidebar", async () => {
    const admin = await signUpAs(server, "admin");
    // Just the least an answer holds (512 tokens at 400 credits/1K): a long question's share
    // of the hold tips it over, so the server refuses it.
    await admin.client.admin.credits.set.mutate({ userId, credits: 205 });
    await page.reload();
    const question = `Ghost chat? ${"Some context to read first. ".repeat(200).trim()}`;
    await send(question);
    const alert = page.getByRole("alert").filter({ hasText: "Your chat couldn't be started" });
    await expect.poll(() => alert.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(new URL(page.url()).pathname).toBe("/chat");
    expect(await page.getByRole("textbox", { name: "Message" }).inputValue()).toBe(question);
    expect(await page.getByRole("link", { name: /Ghost chat\?/ }).count()).toBe(0);
    expect(await chatRows()).toEqual([]);
    await screenshot(page, "branches-01-refused-first-message");
    await admin.client.admin.credits.set.mutate({ userId, credits: 200_000 });
    await page.reload();
  });

  it("Regenerate adds versions of an answer; ‹ 2/3 › switches between them and survives a reload", async () => {
    await newChat();
    await send("Versions please [[fake tokens=4]]");
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await expect.poll(() => settledAnswers().count(), { timeout: 15_000 }).toBe(1);
    for (const expected of ["2/2", "3/3"]) {
      await settledAnswers().first().getByRole("button", { name: "Regenerate" }).click();
      await expect
        .poll(() => settledAnswers().first().getByText(expected).isVisible(), { timeout: 15_000 })
        .toBe(true);
      // In place: still one question and one answer.
      expect(await questions().count()).toBe(1);
      expect(await answers().count()).toBe(1);
    }
    await settledAnswers().first().getByRole("button", { name: "Previous version" }).click();
    await expect.poll(() => settledAnswers().first().getByText("2/3").isVisible()).toBe(true);
    await screenshot(page, "branches-02-answer-versions");
    await page.reload();
    await expect
      .poll(() => settledAnswers().first().getByText("2/3").isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(await page.getByRole("button", { name: "Next version" }).isEnabled()).toBe(true);
  });

  it("editing a question adds a version answered on its own branch; the old one is a click away", async () => {
    await newChat();
    await send("First question [[fake tokens=2]]");
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await expect.poll(() => settledAnswers().count(), { timeout: 15_000 }).toBe(1);
    await send("Second question [[fake tokens=3]]");
    await expect.poll(() => settledAnswers().count(), { timeout: 15_000 }).toBe(2);

    await questions().nth(1).getByRole("button", { name: "Edit message" }).click();
    const edit = page.getByRole("textbox", { name: "Edited message" });
    await edit.fill("Second question, better [[fake tokens=5]]");
    await page.getByRole("button", { name: "Save and send" }).click();
    await expect.poll(() => questions().nth(1).textContent(), { timeout: 15_000 }).toContain("better");
    await expect.poll(() => settledAnswers().count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => wordsIn(1)).toBe(5);
    expect(await questions().count()).toBe(2);
    await expect.poll(() => questions().nth(1).getByText("2/2").isVisible()).toBe(true);
    await screenshot(page, "branches-03-edited-question");

    await questions().nth(1).getByRole("button", { name: "Previous version" }).click();
    await expect.poll(() => questions().nth(1).textContent()).toContain("Second question [[fake tokens=3]]");
    await expect.poll(() => wordsIn(1)).toBe(3);
    await expect.poll(() => questions().nth(1).getByText("1/2").isVisible()).toBe(true);
  });

  it("Esc stops an answer; Retry regenerates it in place instead of asking again", async () => {
    await newChat();
    await send("A long story [[fake tokens=600 rate=20]]");
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await expect.poll(() => wordsIn(0), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    await page.keyboard.press("Escape");
    await expect.poll(() => settledAnswers().count(), { timeout: 15_000 }).toBe(1);
    const stopped = settledAnswers().first();
    await expect.poll(() => stopped.getByText("Incomplete").isVisible()).toBe(true);
    expect(await wordsIn(0)).toBeLessThan(600);

    await stopped.getByRole("button", { name: "Retry" }).click();
    // While the new version is written, the stopped one is gone and the question is not repeated.
    await expect.poll(() => writing().count(), { timeout: 15_000 }).toBe(1);
    expect(await questions().count()).toBe(1);
    expect(await answers().count()).toBe(1);
    await expect.poll(() => wordsIn(0), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    await page.keyboard.press("Escape");
    await expect.poll(() => settledAnswers().count(), { timeout: 15_000 }).toBe(1);
    expect(await questions().count()).toBe(1);
    await expect.poll(() => settledAnswers().first().getByText("2/2").isVisible()).toBe(true);
    await screenshot(page, "branches-04-retried-in-place");
  });

  it("after scrolling up, a new answer streams at the bottom, in view", async () => {
    await newChat();
    await send("Something long to scroll through [[fake tokens=500]]");
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await expect.poll(() => settledAnswers().count(), { timeout: 30_000 }).toBe(1);
    const log = page.getByRole("region", { name: "Messages" });
    await expect.poll(() => wordsIn(0), { timeout: 15_000 }).toBe(500);
    await expect
      .poll(() => log.evaluate((element) => element.scrollHeight > 2 * element.clientHeight))
      .toBe(true);
    // The person scrolls up to read the start of the answer.
    await log.hover();
    await page.mouse.wheel(0, -20_000);
    await expect.poll(() => log.evaluate((element) => element.scrollTop)).toBe(0);
    await expect.poll(() => page.getByRole("button", { name: "Jump to latest" }).isVisible()).toBe(true);

    await send("And now a slow one [[fake tokens=200 rate=30]]");
    await expect.poll(() => writing().count(), { timeout: 15_000 }).toBe(1);
    const distanceToEnd = () =>
      log.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight);
    // As it grows, the view follows it: the end of the log stays in view, the answer with it.
    for (const words of [3, 10, 20]) {
      await expect.poll(() => wordsIn(1), { timeout: 15_000 }).toBeGreaterThanOrEqual(words);
      await expect.poll(distanceToEnd).toBeLessThanOrEqual(48);
      expect(await writing().isVisible()).toBe(true);
      const box = await writing().boundingBox();
      const view = await log.boundingBox();
      expect(box && view && box.y < view.y + view.height).toBe(true);
    }
    expect(await page.getByRole("button", { name: "Jump to latest" }).isVisible()).toBe(false);
    await screenshot(page, "branches-05-stays-in-view");
    await page.keyboard.press("Escape");
    await expect.poll(() => settledAnswers().count(), { timeout: 15_000 }).toBe(2);
    expect(pageErrors).toEqual([]);
  });
});
