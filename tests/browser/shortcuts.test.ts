// Keyboard shortcuts in Debian's chromium: `?` lists them; new chat, search, focus the message box
// and stop an answer being written, each from the keyboard.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousA11yViolations } from "../support/axe.ts";
import { launchBrowser, screenshot } from "../support/browser.ts";
import { startChatTestServer } from "../support/chat.ts";
import { signUp } from "../support/users.ts";

let browser: Browser;
let stack: Awaited<ReturnType<typeof startChatTestServer>>;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startChatTestServer({ SIGNUP_CREDITS: "1000000" })]);
  context = await browser.newContext({ baseURL: stack.server.url });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

const focusedShortcut = () =>
  page.evaluate<string | null>("document.activeElement?.getAttribute('data-shortcut') ?? null");

describe("keyboard shortcuts", () => {
  it("lists them with ?, and each works from the keyboard", async () => {
    const user = await signUp(stack.server);
    await page.goto("/login");
    await page.getByLabel("Email or username").fill(user.input.email);
    await page.getByLabel("Password").fill(user.input.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/chat");
    const message = page.getByRole("textbox", { name: "Message" });
    await message.waitFor();
    await page.locator("body").click({ position: { x: 5, y: 300 } });

    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await expect.poll(() => help.isVisible()).toBe(true);
    expect(await help.getByText("Search chats").isVisible()).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "shortcuts-help");
    await page.keyboard.press("Escape");
    await expect.poll(() => help.isVisible()).toBe(false);

    await page.keyboard.press("Control+K");
    await expect.poll(focusedShortcut).toBe("search");
    await page.keyboard.press("Shift+Escape");
    await expect.poll(focusedShortcut).toBe("composer");

    // An answer being written stops on Escape.
    await message.fill("Tell me a long story [[fake tokens=400 rate=20]]");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    const stop = page.getByRole("button", { name: "Stop" });
    await expect.poll(() => stop.isVisible(), { timeout: 15_000 }).toBe(true);
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByText("Incomplete").isVisible(), { timeout: 15_000 }).toBe(true);

    await page.keyboard.press("Control+Shift+O");
    await page.waitForURL((url) => url.pathname === "/chat");
  });
});
