// The audit trail screen in Debian's chromium against the real server: an admin opens it from the
// admin tabs, reads who changed what (before → after), filters by action, by a target and by an
// actor, pages, and a supervisor meets the "not allowed" state. axe-core checks the screen.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousA11yViolations } from "../support/axe.ts";
import { launchBrowser, recordFailures, screenshot, signInInBrowser } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

type Account = Awaited<ReturnType<typeof signUp>>;

let browser: Browser;
let server: TestServer;
let admin: Account;
let other: Account;
let grace: Account;
let supervisor: Account;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

/** UI updates wait on lazy chunks and queries: give them time on a slow machine. */
const POLL = { timeout: 10_000 };

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startTestServer()]);
  admin = await signUpAs(server, "admin");
  other = await signUpAs(server, "admin");
  supervisor = await signUpAs(server, "supervisor");
  grace = await signUp(server, { displayName: "Grace Hopper" });
  await admin.client.admin.credits.allocate.mutate({
    userId: grace.user.id,
    credits: 1_500,
    notes: "Welcome",
  });
  await admin.client.admin.users.update.mutate({ userId: grace.user.id, role: "supervisor" });
  // Enough records by another admin to need a second page (25 a page).
  for (let i = 1; i <= 26; i++) {
    await other.client.admin.credits.adjust.mutate({ userId: supervisor.user.id, adjustment: i });
  }

  context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

const signIn = (target: Page, email: string, password: string, next: string) =>
  signInInBrowser(target, email, password, { next });

const rows = (target: Page) => target.getByRole("table", { name: "Audit records" }).locator("tbody tr");

recordFailures("audit", () => page);

describe("audit trail screen", () => {
  it("lists records newest first with readable changes, filters and pages", async () => {
    await signIn(page, admin.input.email, admin.input.password, "/admin/users");
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit trail" }).click();
    await page.waitForURL((url) => url.pathname === "/admin/audit");
    await page.getByRole("heading", { level: 1, name: "Audit trail" }).waitFor();
    await rows(page).first().waitFor();
    expect(await rows(page).count()).toBe(25);
    expect(await page.getByRole("navigation", { name: "Audit records pages" }).textContent()).toContain(
      "of 28",
    );
    const blocking = await seriousA11yViolations(page);
    expect(blocking, JSON.stringify(blocking, null, 2)).toEqual([]);
    await screenshot(page, "audit-01-list");

    // Filter by action: the role change of Grace, with its before and after.
    await page.getByLabel("Action").selectOption("user.role");
    await page.waitForURL(/action=user\.role/);
    await expect.poll(() => rows(page).count(), POLL).toBe(1);
    const row = rows(page).first();
    expect(await row.textContent()).toContain("Role changed");
    expect(await row.textContent()).toContain("Grace Hopper");
    expect(await row.locator("del").textContent()).toBe("user");
    expect(await row.locator("ins").textContent()).toBe("supervisor");
    await screenshot(page, "audit-02-role-change");

    // A click on the target, then every action: all records about Grace, the allocation too.
    await row.getByRole("button", { name: /Grace Hopper/ }).click();
    await page.waitForURL(new RegExp(`target=${grace.user.id}`));
    await page.getByLabel("Action").selectOption("");
    await expect.poll(() => rows(page).count(), POLL).toBe(2);
    const allocation = rows(page).filter({ hasText: "Credits allocated" });
    expect(await allocation.textContent()).toMatch(/Balance\s*0\s*→\s*1,500/);
    expect(await allocation.textContent()).toContain("Welcome");
    expect(await page.getByLabel("Target id").inputValue()).toBe(grace.user.id);

    // Filter by actor through the form; the other admin's 26 records take two pages.
    await page.getByRole("button", { name: "Clear" }).click();
    // The form takes the cleared filters from the address once it renders them; typing before
    // that render would be overwritten by it.
    await page.waitForURL((url) => !url.searchParams.has("target"));
    await expect.poll(() => page.getByLabel("Target id").inputValue(), POLL).toBe("");
    await page.getByLabel("Actor id").fill(other.user.id);
    await expect.poll(() => page.getByLabel("Actor id").inputValue(), POLL).toBe(other.user.id);
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(new RegExp(`actor=${other.user.id}`));
    await expect
      .poll(() => page.getByRole("navigation", { name: "Audit records pages" }).textContent(), POLL)
      .toContain("of 26");
    await page
      .getByRole("navigation", { name: "Audit records pages" })
      .getByRole("button", { name: /Next/ })
      .click();
    await page.waitForURL(/page=2/);
    await expect.poll(() => rows(page).count(), POLL).toBe(1);
    // Newest first: the last page holds the first adjustment (+1 credit).
    // The "Change" column (the fifth): the oldest adjustment, +1 credit.
    expect(await rows(page).first().locator("td").nth(4).textContent()).toMatch(/Balance0 → 1.*Amount1$/);
    expect(pageErrors).toEqual([]);
  });

  it("is for admins only", async () => {
    const supervisorContext = await browser.newContext({ baseURL: server.url });
    const supervisorPage = await supervisorContext.newPage();
    await signIn(supervisorPage, supervisor.input.email, supervisor.input.password, "/admin/audit");
    await supervisorPage.getByRole("heading", { name: "You don't have access to this page" }).waitFor();
    const nav = supervisorPage.getByRole("navigation", { name: "Admin" });
    expect(await nav.getByRole("link", { name: "Audit trail" }).count()).toBe(0);
    await supervisorContext.close();
  });
});
