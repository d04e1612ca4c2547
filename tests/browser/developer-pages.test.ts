// The two pages for developers, in Debian's chromium against the real server with no internet:
// the tRPC panel runs a query with the admin's session cookie, and the Scalar reference renders
// the OpenAPI document. Neither page may fetch anything from another host.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, recordFailures, screenshot } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUpAs } from "../support/users.ts";

let browser: Browser;
let server: TestServer;
let context: BrowserContext;
let page: Page;
const foreignRequests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startTestServer()]);
  const [admin, granter] = await Promise.all([signUpAs(server, "admin"), signUpAs(server, "admin")]);
  // Nobody moves credits on their own account: another admin grants them.
  await granter.client.admin.credits.allocate.mutate({ userId: admin.user.id, credits: 4321 });
  context = await browser.newContext();
  await context.addCookies([{ name: "parley_session", value: admin.token, url: server.url }]);
  page = await context.newPage();
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(server.url) && !url.startsWith("data:") && !url.startsWith("blob:")) {
      foreignRequests.push(url);
    }
  });
  page.on("pageerror", (error) => pageErrors.push(error.message));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

recordFailures("developer", () => page);

describe("developer pages", () => {
  it("the tRPC panel runs a query with the admin's session", async () => {
    await page.goto(`${server.url}/panel`);
    await page.getByText("accounting", { exact: true }).first().click();
    await page.getByText("balance", { exact: true }).first().click();
    await page.getByRole("button", { name: /Execute balance/ }).click();
    await expect.poll(() => page.getByText("4321").count()).toBeGreaterThan(0);
    await screenshot(page, "panel");
    expect(foreignRequests).toEqual([]);
  });

  it("the API reference renders the OpenAPI document from the server's own bundle", async () => {
    await page.goto(`${server.url}/api/docs`);
    await expect.poll(() => page.getByRole("heading", { name: "Parley API" }).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText("REST: credits").count()).toBeGreaterThan(0);
    await screenshot(page, "api-docs");
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
