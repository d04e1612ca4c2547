// Defects of issue 13, in Debian's chromium: the first admin's welcome credits, the last sign-in of
// someone who just registered, no 401 in the console before signing in, and the phone layout (the
// over-the-limit hint, the admin tab bar, the users table without sideways scrolling).
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp } from "../support/users.ts";

const ADMIN = { email: "chief@example.com", password: "a-long-and-secret-phrase" };
const WELCOME_CREDITS = 5000;
const MAX_CHARS = 120;

let browser: Browser;
let server: TestServer;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [browser, server] = await Promise.all([
    launchBrowser(),
    startTestServer({
      env: {
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        SIGNUP_CREDITS: String(WELCOME_CREDITS),
        CHAT_MAX_MESSAGE_CHARS: String(MAX_CHARS),
      },
    }),
  ]);
  context = await browser.newContext({ baseURL: server.url });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe("before and at sign-in", () => {
  it("loads the app signed out without a 401 or an error in the console", async () => {
    const unauthorized: string[] = [];
    const consoleErrors: string[] = [];
    page.on("response", (response) => {
      if (response.status() === 401) unauthorized.push(response.url());
    });
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto("/chat");
    await page.waitForURL((url) => url.pathname === "/login");
    await page.getByLabel("Email or username").waitFor();
    await page.goto("/register");
    await page.getByLabel("Username").waitFor();
    expect(unauthorized).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it("gives the first admin the welcome credits, so the chat can be tried at once", async () => {
    await page.goto("/login");
    await page.getByLabel("Email or username").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/chat");
    const pill = page.getByRole("link", { name: /^Balance:/ });
    await expect.poll(async () => Number(await pill.getAttribute("data-available"))).toBe(WELCOME_CREDITS);
  });

  it("shows the sign-in of someone who just registered as their last sign-in", async () => {
    const newcomer = await signUp(server);
    await page.goto(`/admin/users?q=${newcomer.input.username}`);
    const row = page.getByRole("row").filter({ hasText: newcomer.input.email });
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(async () => (await row.textContent()) ?? "").toContain("just now");
    expect((await row.textContent()) ?? "").not.toContain("Never");
  });
});

describe("at phone width", () => {
  beforeAll(async () => {
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it("shows every admin tab and the users table without scrolling sideways", async () => {
    await page.goto("/admin/users");
    const nav = page.getByRole("navigation", { name: "Admin" });
    const tabs = nav.getByRole("link");
    await expect.poll(() => tabs.count()).toBe(7);
    for (const tab of await tabs.all()) {
      const box = await tab.boundingBox();
      expect(box).not.toBeNull();
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 390).toBe(true);
    }
    const table = page
      .getByRole("region", { name: "Users", exact: true })
      .filter({ has: page.getByRole("table") })
      .last();
    await expect.poll(() => table.getByRole("row").count()).toBeGreaterThan(1);
    const overflow = await table.evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const pageWidth = await page.locator("html").evaluate((element) => element.scrollWidth);
    expect(pageWidth).toBeLessThanOrEqual(390);
    await screenshot(page, "phone-admin-users");
  });

  it("shows the over-the-limit hint under the composer", async () => {
    await page.goto("/chat");
    const message = page.getByRole("textbox", { name: "Message" });
    await message.fill("x".repeat(MAX_CHARS + 7));
    const hint = page.getByText("Your message is 7 characters over the limit.");
    await expect.poll(() => hint.isVisible()).toBe(true);
    await screenshot(page, "phone-composer-over-limit");
  });
});
