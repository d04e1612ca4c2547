// The theme toggle in Debian's chromium: light, dark or the system's, remembered in the browser and
// applied before the first paint (no light flash on a dark choice).
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousA11yViolations } from "../support/axe.ts";
import { launchBrowser, screenshot } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp } from "../support/users.ts";

let browser: Browser;
let server: TestServer;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startTestServer()]);
  context = await browser.newContext({ baseURL: server.url, colorScheme: "light" });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

// A string expression: it runs in the page, where the DOM's globals are.
const canvas = () => page.evaluate<string>("getComputedStyle(document.body).backgroundColor");
const LIGHT_CANVAS = "rgb(246, 247, 251)";
const DARK_CANVAS = "rgb(12, 14, 21)";

describe("theme", () => {
  it("follows the system, then a chosen theme, kept across reloads and applied before the app runs", async () => {
    const account = await signUp(server);
    await page.goto("/login");
    await page.getByLabel("Email or username").fill(account.input.email);
    await page.getByLabel("Password").fill(account.input.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/chat");
    expect(await canvas()).toBe(LIGHT_CANVAS);

    const picker = page.getByRole("combobox", { name: "Theme" });
    await picker.selectOption("dark");
    await expect.poll(canvas).toBe(DARK_CANVAS);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "theme-dark");

    // The choice is remembered and painted before any of the app's scripts run.
    await page.route(/\/assets\/index-[\w-]+\.js$/, (route) => route.abort());
    await page.goto("/chat");
    expect(await page.locator("html").getAttribute("data-theme")).toBe("dark");
    expect(await canvas()).toBe(DARK_CANVAS);
    await page.unroute(/\/assets\/index-[\w-]+\.js$/);
    await page.goto("/chat");
    await expect.poll(() => picker.inputValue()).toBe("dark");

    // Light wins over a dark system; "System" follows it again.
    await page.emulateMedia({ colorScheme: "dark" });
    await picker.selectOption("light");
    await expect.poll(canvas).toBe(LIGHT_CANVAS);
    await picker.selectOption("system");
    await expect.poll(canvas).toBe(DARK_CANVAS);
    expect(await page.locator("html").getAttribute("data-theme")).toBeNull();
    await page.reload();
    await expect.poll(() => picker.inputValue()).toBe("system");
    await page.emulateMedia({ colorScheme: "light" });
  });
});
