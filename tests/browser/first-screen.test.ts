// The first paint does not wait for the scripts: index.html carries the app's loading screen, shown
// once the stylesheet arrives, and React puts the real screen in its place.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let browser: Browser;
let server: TestServer;
let context: BrowserContext;
beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startTestServer()]);
  context = await browser.newContext({ baseURL: server.url });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe("first screen", () => {
  it("shows a styled loading screen before any script has run", async () => {
    const page = await context.newPage();
    await page.route("**/assets/*.js", (route) => route.abort());
    await page.goto("/chat");
    const status = page.getByRole("status").filter({ hasText: "Loading Parley…" });
    await expect.poll(() => status.isVisible()).toBe(true);
    // Styled by the built stylesheet: centred in the full height of the window.
    const box = await status.boundingBox();
    expect(box?.height).toBeGreaterThan(500);
    await page.close();
  });

  it("the app replaces it once its scripts run", async () => {
    const page = await context.newPage();
    await page.goto("/chat");
    // Signed out: the sign-in screen, and no leftover loading screen.
    await page.waitForURL((url) => url.pathname === "/login");
    await expect.poll(() => page.getByRole("button", { name: "Sign in" }).isVisible()).toBe(true);
    expect(await page.getByText("Loading Parley…").count()).toBe(0);
    await page.close();
  });
});
