// The admin screens end to end in Debian's chromium against the real server: an admin finds a user,
// corrects their credits and sees the ledger, reads the usage charts (and exports them), watches a
// live session appear without a reload, changes a model price, and a supervisor meets the
// "not allowed" state. axe-core checks every screen for serious or critical violations.
import { readFile } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousA11yViolations } from "../support/axe.ts";
import { launchBrowser, recordFailures, screenshot, signInInBrowser } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

const HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";

type Account = Awaited<ReturnType<typeof signUp>>;

let browser: Browser;
let server: TestServer;
let admin: Account;
let grace: Account;
let alan: Account;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startTestServer({ env: { SIGNUP_CREDITS: "0" } })]);
  admin = await signUpAs(server, "admin");
  grace = await signUp(server, { displayName: "Grace Hopper" });
  alan = await signUp(server, { displayName: "Alan Turing" });
  await signUp(server, { displayName: "Edsger Dijkstra" });

  // Credits, then usage: a one-off charge and a finished streaming call on Claude 3.5 Haiku.
  for (const who of [grace, alan]) {
    await admin.client.admin.credits.allocate.mutate({
      userId: who.user.id,
      credits: 1_000_000,
      expiryDays: 30,
      notes: "Welcome pack",
    });
  }
  await grace.client.accounting.usage.record.mutate({
    service: "chat",
    operation: "completion",
    credits: 1_200,
    modelId: HAIKU,
    inputTokens: 5_000,
    outputTokens: 2_000,
  });
  const call = await grace.client.accounting.streaming.initialize.mutate({
    modelId: HAIKU,
    estimatedTokens: { input: 2_000, output: 1_000 },
  });
  await grace.client.accounting.streaming.finalize.mutate({
    sessionId: call.sessionId,
    actualTokens: { input: 1_800, output: 700 },
  });
  await alan.client.accounting.usage.record.mutate({
    service: "chat",
    operation: "completion",
    credits: 400,
    modelId: HAIKU,
    inputTokens: 2_000,
    outputTokens: 500,
  });

  context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

const signIn = (target: Page, email: string, password: string, next = "/admin") =>
  signInInBrowser(target, email, password, { next });

/** Runs axe-core on the whole page and fails on any serious or critical violation. */
async function expectAccessible(target: Page, screen: string) {
  const blocking = await seriousA11yViolations(target);
  expect(blocking, `${screen}: ${JSON.stringify(blocking, null, 2)}`).toEqual([]);
}

/** The page scrolls vertically only: wide tables scroll inside their own frame. */
async function expectNoSidewaysScroll(target: Page) {
  const overflow = await target.evaluate<number>(
    "document.documentElement.scrollWidth - document.documentElement.clientWidth",
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

/** UI updates wait on debounces, polls and lazy chunks: give them time on a slow machine. */
const POLL = { timeout: 10_000 };

const balanceOf = async (userId: string) => admin.client.admin.credits.balanceOf.query({ userId });

recordFailures("admin", () => page);

describe("admin screens", () => {
  it("signs in and lists users; search narrows the list", async () => {
    await signIn(page, admin.input.email, admin.input.password);
    await page.waitForURL((url) => url.pathname === "/admin/users");
    await page.getByRole("heading", { level: 1, name: "Users" }).waitFor();
    await page.getByRole("link", { name: "Edsger Dijkstra" }).waitFor();
    const nav = page.getByRole("navigation", { name: "Admin" });
    for (const tab of ["Users", "Usage", "Live sessions", "Models & prices"]) {
      expect(await nav.getByRole("link", { name: tab }).isVisible()).toBe(true);
    }
    await expectAccessible(page, "users");
    await screenshot(page, "admin-01-users");

    await page.getByLabel("Search").fill("grace");
    await page.waitForURL(/q=grace/);
    await expect.poll(() => page.getByRole("link", { name: "Edsger Dijkstra" }).count(), POLL).toBe(0);
    expect(await page.getByRole("link", { name: "Grace Hopper" }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole("heading", { name: /^1 user/ }).isVisible(), POLL).toBe(true);
    await screenshot(page, "admin-02-users-search");

    // Role filter and sorting are URL state too.
    await page.getByLabel("Role").selectOption("admin");
    await page.waitForURL(/role=admin/);
    await expect.poll(() => page.getByRole("heading", { name: /^0 users/ }).isVisible(), POLL).toBe(true);
    await page.getByLabel("Role").selectOption("");
    await page.getByRole("button", { name: "Email" }).click();
    await page.waitForURL(/sort=email/);
  });

  it("changes a user's role from the list", async () => {
    await page.getByLabel("Search").fill("alan");
    await page.getByRole("button", { name: "Edit access for Alan Turing" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit access" });
    await dialog.waitFor();
    await expectAccessible(page, "edit access dialog");
    await dialog.getByLabel("Role").selectOption("supervisor");
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("status").filter({ hasText: "Alan Turing is now a supervisor" }).waitFor();
    expect((await balanceOf(alan.user.id)).user.role).toBe("supervisor");
  });

  it("opens a user, adjusts their credits with notes and sees the balance and the ledger entry", async () => {
    await page.getByLabel("Search").fill("grace");
    await page.getByRole("link", { name: "Grace Hopper" }).click();
    await page.waitForURL(`**/admin/users/${grace.user.id}`);
    await page.getByRole("heading", { level: 1, name: "Grace Hopper" }).waitFor();

    const before = await balanceOf(grace.user.id);
    const balanceCard = page
      .getByRole("definition")
      .filter({ hasText: before.balance.toLocaleString("en-US") });
    await balanceCard.first().waitFor();

    // A negative adjustment asks for confirmation first.
    await page.getByRole("radio", { name: "Adjust" }).check();
    await page.getByLabel("Adjustment").fill("-2,500");
    await page.getByLabel("Notes").fill("Duplicate charge, ticket #4521");
    await page.getByRole("button", { name: "Apply adjustment" }).click();
    const confirm = page.getByRole("dialog", { name: "Take credits away?" });
    await confirm.waitFor();
    await screenshot(page, "admin-03-user-confirm");
    await confirm.getByRole("button", { name: "Apply adjustment" }).click();
    await confirm.waitFor({ state: "detached" });

    const expected = before.balance - 2_500;
    await page
      .getByRole("status")
      .filter({ hasText: `balance is now ${expected.toLocaleString("en-US")}` })
      .waitFor();
    expect((await balanceOf(grace.user.id)).balance).toBe(expected);
    const ledger = page.getByRole("region", { name: "Ledger entries" });
    const entry = ledger.getByRole("row").filter({ hasText: "Duplicate charge, ticket #4521" });
    await entry.waitFor();
    expect(await entry.textContent()).toContain("Adjustment");
    expect(await entry.textContent()).toContain("-2,500");
    expect(await entry.textContent()).toContain(admin.user.displayName);

    // The server's refusal (more than is available) shows on the amount field.
    await page.getByRole("radio", { name: "Remove" }).check();
    await page.getByLabel("Credits to remove").fill("999999999");
    await page.getByRole("button", { name: "Remove credits" }).click();
    await page
      .getByRole("dialog", { name: "Take credits away?" })
      .getByRole("button", { name: "Remove credits" })
      .click();
    await page.getByText(/Only [\d,]+ credits are available to remove/).waitFor();
    expect(await page.getByLabel("Credits to remove").getAttribute("aria-invalid")).toBe("true");

    // Grants with their expiry, and the usage chart.
    await page.getByRole("region", { name: "Grants" }).getByText("Welcome pack").waitFor();
    await page.getByRole("heading", { name: "Credits per day" }).scrollIntoViewIfNeeded();
    await page.locator(".recharts-surface").first().waitFor();
    await page.locator(".recharts-bar-rectangle").first().waitFor();
    await expectAccessible(page, "user");
    await screenshot(page, "admin-04-user");
  });

  it("shows usage analytics with charts, periods and CSV export", async () => {
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Usage" }).click();
    await page.waitForURL("**/admin/usage");
    await page.getByRole("heading", { level: 1, name: "Usage" }).waitFor();
    const stats = await admin.client.admin.usage.systemStats.query({});
    await page
      .getByRole("definition")
      .filter({ hasText: stats.totals.credits.toLocaleString("en-US") })
      .first()
      .waitFor();
    for (const title of ["Credits per day", "Tokens per day", "Credits by model", "Top users"]) {
      await page.getByRole("heading", { level: 2, name: title }).waitFor();
    }
    await expect.poll(() => page.locator(".recharts-surface").count(), POLL).toBe(4);
    await page.locator(".recharts-surface").getByText("Grace Hopper").waitFor();
    await page.locator(".recharts-surface").getByText("Claude 3.5 Haiku").waitFor();

    // A tooltip on hover, with the unit.
    await page.locator(".recharts-bar-rectangle").first().hover();
    await page
      .locator(".recharts-tooltip-wrapper")
      .getByText(/credits \(\$/)
      .waitFor();

    // The rows behind a chart as a CSV file.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV: Top users" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^parley-usage-top-users_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const csv = await readFile(await download.path(), "utf8");
    const lines = csv
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("user_id,email,display_name,credits,usd,input_tokens,output_tokens,requests");
    expect(lines.some((line) => line.startsWith(`${grace.user.id},${grace.input.email},Grace Hopper,`))).toBe(
      true,
    );

    // Presets and a custom period are kept in the URL.
    await page.getByRole("radio", { name: "7 days" }).check();
    await page.waitForURL(/days=7/);
    await page.getByRole("radio", { name: "Custom" }).check();
    await page.getByLabel("From", { exact: true }).fill("2020-01-01");
    await page.getByLabel("To", { exact: true }).fill("2022-01-01");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByText("A period can be at most 366 days long.").waitFor();
    const today = new Date().toISOString().slice(0, 10);
    const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel("From", { exact: true }).fill(weekAgo);
    await page.getByLabel("To", { exact: true }).fill(today);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(new RegExp(`from=${weekAgo}&to=${today}`));
    await page.locator(".recharts-bar-rectangle").first().waitFor();

    await expectAccessible(page, "usage");
    await screenshot(page, "admin-05-usage");
  });

  it("lists live sessions and picks up a new one without a reload", async () => {
    const open = await grace.client.accounting.streaming.initialize.mutate({
      modelId: HAIKU,
      estimatedTokens: { input: 3_000, output: 2_000 },
    });
    await page
      .getByRole("navigation", { name: "Admin" })
      .getByRole("link", { name: "Live sessions" })
      .click();
    await page.waitForURL("**/admin/live");
    await page.getByRole("heading", { level: 1, name: "Live sessions" }).waitFor();
    const table = page.getByRole("region", { name: "Open sessions" });
    const row = table.getByRole("row").filter({ hasText: "Grace Hopper" });
    await row.waitFor();
    expect(await row.textContent()).toContain("Claude 3.5 Haiku");
    expect(await row.textContent()).toContain(open.held.toLocaleString("en-US"));

    // A second session opens while the page is showing: it appears on the next poll.
    const second = await alan.client.accounting.streaming.initialize.mutate({
      modelId: HAIKU,
      estimatedTokens: { input: 1_000, output: 1_000 },
    });
    await table.getByRole("row").filter({ hasText: "Alan Turing" }).waitFor({ timeout: 10_000 });
    await expectAccessible(page, "live");
    await screenshot(page, "admin-06-live");

    // And disappears once settled.
    await alan.client.accounting.streaming.finalize.mutate({
      sessionId: second.sessionId,
      actualTokens: { input: 900, output: 300 },
    });
    await expect
      .poll(() => table.getByRole("row").filter({ hasText: "Alan Turing" }).count(), { timeout: 10_000 })
      .toBe(0);
  });

  it("changes a model price inline, with validation", async () => {
    await page
      .getByRole("navigation", { name: "Admin" })
      .getByRole("link", { name: "Models & prices" })
      .click();
    await page.waitForURL("**/admin/models");
    await page.getByRole("heading", { level: 1, name: "Models & prices" }).waitFor();
    await expectAccessible(page, "models");
    await screenshot(page, "admin-07-models");

    await page.getByRole("button", { name: "Edit Claude 3.5 Haiku" }).click();
    const input = page.getByLabel("Input price of Claude 3.5 Haiku, credits per 1,000 tokens");
    await input.fill("9.5");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Enter a whole number of credits.").waitFor();
    expect(await input.getAttribute("aria-invalid")).toBe("true");
    await expectAccessible(page, "models editing");
    await screenshot(page, "admin-08-models-edit");

    await input.fill("95");
    await input.press("Enter");
    await page.getByRole("status").filter({ hasText: "Saved Claude 3.5 Haiku: 95 credits in" }).waitFor();
    const models = await admin.client.admin.pricing.list.query();
    expect(models.find((model) => model.modelId === HAIKU)?.inputPer1k).toBe(95);

    // Prompt-cache prices (per million tokens): both, or neither to turn caching off.
    await page.getByRole("button", { name: "Edit Claude 3.5 Haiku" }).click();
    const cacheRead = page.getByLabel(
      "Prompt cache read price of Claude 3.5 Haiku, credits per million tokens",
    );
    expect(await cacheRead.inputValue()).toBe("8000");
    await cacheRead.fill("");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Set both cache prices, or leave both empty to turn caching off.").waitFor();
    await cacheRead.fill("9000");
    await cacheRead.press("Enter");
    await expect
      .poll(async () => (await admin.client.admin.pricing.list.query()).find((m) => m.modelId === HAIKU))
      .toMatchObject({ cacheReadPer1m: 9000, cacheWritePer1m: 100_000 });
    await page.getByRole("row").filter({ hasText: "9,000 · 100,000 credits" }).waitFor();
  });

  it("works at phone width and in dark mode", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/admin/users");
    await page.getByRole("link", { name: "Grace Hopper" }).waitFor();
    await expectNoSidewaysScroll(page);
    await screenshot(page, "admin-09-users-phone");
    await page.goto(`/admin/users/${grace.user.id}`);
    await page.getByRole("heading", { level: 1, name: "Grace Hopper" }).waitFor();
    await page.locator(".recharts-surface").first().waitFor();
    await expectNoSidewaysScroll(page);
    await screenshot(page, "admin-10-user-phone");

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto("/admin/usage");
    await expect.poll(() => page.locator(".recharts-surface").count(), POLL).toBe(4);
    await expectAccessible(page, "usage (dark)");
    await screenshot(page, "admin-11-usage-dark");
    await page.emulateMedia({ colorScheme: "light" });
    expect(pageErrors).toEqual([]);
  });

  it("shows a supervisor only users and credits, and a plain user nothing", async () => {
    const supervisorContext = await browser.newContext({ baseURL: server.url });
    const supervisorPage = await supervisorContext.newPage();
    // Alan was made a supervisor above.
    await signIn(supervisorPage, alan.input.email, alan.input.password, "/admin/usage");
    await supervisorPage.getByRole("heading", { name: "You don't have access to this page" }).waitFor();
    const nav = supervisorPage.getByRole("navigation", { name: "Admin" });
    expect(await nav.getByRole("link").allTextContents()).toEqual(["Users"]);
    await expectAccessible(supervisorPage, "not allowed");
    await screenshot(supervisorPage, "admin-12-supervisor-not-allowed");
    await nav.getByRole("link", { name: "Users" }).click();
    await supervisorPage.getByRole("link", { name: "Grace Hopper" }).waitFor();
    expect(await supervisorPage.getByRole("button", { name: /^Edit access/ }).count()).toBe(0);
    await supervisorContext.close();

    const userContext = await browser.newContext({ baseURL: server.url });
    const userPage = await userContext.newPage();
    await signIn(userPage, grace.input.email, grace.input.password, "/admin/users");
    await userPage.getByRole("heading", { name: "You don't have access to this page" }).waitFor();
    expect(await userPage.getByRole("navigation", { name: "Admin" }).count()).toBe(0);
    await userContext.close();
  });
});
