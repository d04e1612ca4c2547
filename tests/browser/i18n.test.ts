// The SPA speaks the reader's language: the browser's own when Parley has it, else the one picked
// (remembered in this browser); dates, numbers and credits follow the language.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousA11yViolations } from "../support/axe.ts";
import { launchBrowser } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { newUserInput, signUpAs } from "../support/users.ts";

let browser: Browser;
let server: TestServer;
beforeAll(async () => {
  [browser, server] = await Promise.all([
    launchBrowser(),
    startTestServer({ env: { SIGNUP_CREDITS: "12345" } }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("languages", () => {
  it("follows the browser's language when Parley has it", async () => {
    const context = await browser.newContext({ baseURL: server.url, locale: "de-DE" });
    const page = await context.newPage();
    await page.goto("/login");
    await expect.poll(() => page.getByRole("heading", { name: "Anmelden" }).isVisible()).toBe(true);
    expect(await page.locator("html").getAttribute("lang")).toBe("de");
    expect(await page.getByLabel("E-Mail oder Benutzername").count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });

  it("switches at once with the picker, remembers the choice, formats credits for it, and shows the chat in it", async () => {
    const context = await browser.newContext({ baseURL: server.url, locale: "en-US" });
    const page = await context.newPage();
    await page.goto("/register");
    await expect.poll(() => page.getByRole("combobox", { name: "Language" }).isVisible()).toBe(true);
    await page.getByRole("combobox", { name: "Language" }).selectOption("de");
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("de");
    await page.reload();
    await expect.poll(() => page.getByRole("combobox", { name: "Sprache" }).inputValue()).toBe("de");

    // Register in German, then the balance reads with German grouping: 12.345.
    const input = newUserInput();
    await page.getByLabel("E-Mail").fill(input.email);
    await page.getByLabel("Benutzername").fill(input.username);
    await page.getByLabel("Anzeigename").fill(input.displayName);
    await page.getByLabel("Passwort", { exact: true }).fill(input.password);
    await page.getByRole("button", { name: "Konto erstellen" }).click();
    const pill = page.getByRole("link", { name: /^Guthaben:/ });
    await expect
      .poll(() => pill.getAttribute("aria-label").then(() => pill.textContent()))
      .toContain("12.345");

    // The chat screen the sign-up lands on speaks German too: heading, composer, counter, sidebar.
    const firstName = input.displayName.split(/\s+/)[0] ?? input.displayName;
    const heading = page.getByRole("heading", { name: `Wobei kann ich dir helfen, ${firstName}?` });
    await expect.poll(() => heading.isVisible()).toBe(true);
    const composer = page.getByRole("textbox", { name: "Nachricht", exact: true });
    expect(await composer.getAttribute("placeholder")).toBe("Nachricht an Parley…");
    expect(await page.getByRole("form", { name: "Nachricht senden" }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Senden", exact: true }).count()).toBe(1);
    expect(
      await page
        .getByRole("complementary", { name: "Chats" })
        .getByRole("link", { name: "Neuer Chat" })
        .count(),
    ).toBe(1);
    // The character counter groups thousands the German way (100.000, not 100,000).
    expect(await page.getByText("0 von 100.000 Zeichen").count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });

  it("shows the profile in German: headings, a table header, a long date and grouped credits", async () => {
    const account = await signUpAs(server, "user");
    const context = await browser.newContext({ baseURL: server.url, locale: "de-DE" });
    const page = await context.newPage();
    await signInGerman(page, account.input.email, account.input.password, "/profile");

    await expect.poll(() => page.getByRole("heading", { name: "Deine Nutzung" }).isVisible()).toBe(true);
    expect(await page.getByRole("heading", { name: "Credit-Verlauf" }).count()).toBe(1);
    // SIGNUP_CREDITS: 12,345 welcome credits, written with German grouping.
    const credits = page.locator("#credits");
    await expect.poll(() => credits.textContent()).toContain("Verfügbar");
    expect(await credits.textContent()).toContain("12.345");
    // The welcome credits are in the credit history, under German column headers.
    await expect.poll(() => page.getByRole("columnheader", { name: "Wann" }).count()).toBe(1);
    // "Mitglied seit" reads as a long German date, e.g. "30. November 2026".
    const memberSince = page
      .getByRole("definition")
      .filter({ has: page.locator("time") })
      .first();
    expect(await memberSince.textContent()).toMatch(/^\d{1,2}\. [A-Za-zäÄ]+ \d{4}$/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });

  it("shows an admin screen in German: the models and their prices with German numbers", async () => {
    const admin = await signUpAs(server, "admin");
    const models = await admin.client.admin.pricing.list.query();
    const model = models[0];
    if (!model) throw new Error("the test server offers no model");
    await admin.client.admin.pricing.update.mutate({ modelId: model.modelId, inputPer1k: 1234 });
    const context = await browser.newContext({ baseURL: server.url, locale: "de-DE" });
    const page = await context.newPage();
    await signInGerman(page, admin.input.email, admin.input.password, "/admin/models");

    await expect
      .poll(() => page.getByRole("heading", { name: "Modelle & Preise", level: 1 }).isVisible())
      .toBe(true);
    await expect.poll(() => page.getByRole("columnheader", { name: "Modell" }).count()).toBe(1);
    expect(
      await page
        .getByRole("navigation", { name: "Verwaltung" })
        .getByRole("link", { name: "Benutzer" })
        .count(),
    ).toBe(1);
    // 1,234 credits per 1,000 tokens: German grouping, and the dollar price with a decimal comma.
    const row = page.getByRole("row").filter({ hasText: model.displayName });
    await expect.poll(() => row.textContent()).toContain("1.234 Credits");
    expect(await row.textContent()).toMatch(/0,01234\s?\$/);
    expect(await page.getByRole("button", { name: `${model.displayName} bearbeiten` }).count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    // The role keeps its name ("Admin") while the area it opens is "Verwaltung".
    await page.goto("/profile");
    await expect.poll(() => page.getByText("Rolle Admin", { exact: true }).count()).toBe(1);
    await context.close();
  });
});

/** Signs in through the German sign-in form, then opens `next`. */
async function signInGerman(page: Page, email: string, password: string, next: string) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("E-Mail oder Benutzername").fill(email);
  await page.getByLabel("Passwort", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}
