// The profile's API keys section in Debian's chromium: create a key (shown once), use it from a
// program, see it listed with its last use, revoke it, and see the program refused.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousA11yViolations } from "../support/axe.ts";
import { launchBrowser, screenshot, signInInBrowser } from "../support/browser.ts";
import { failureOf } from "../support/errors.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp } from "../support/users.ts";

let browser: Browser;
let server: TestServer;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startTestServer()]);
  context = await browser.newContext({ baseURL: server.url });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

async function signIn(email: string, password: string) {
  await signInInBrowser(page, email, password, { next: "/profile" });
  await page.waitForURL((url) => url.pathname === "/profile");
}

describe("API keys on the profile page", () => {
  it("creates a key shown once, lists it, and revokes it", async () => {
    const account = await signUp(server);
    await signIn(account.input.email, account.input.password);
    const section = page.getByRole("region", { name: "API keys" });
    await expect.poll(() => section.getByText("No API keys yet.").isVisible()).toBe(true);
    // A plain user is not offered the admin scope.
    expect(await section.getByRole("checkbox", { name: /Admin/ }).count()).toBe(0);

    // Asking without a name or scope says what is missing.
    await section.getByRole("button", { name: "Create key" }).click();
    await expect.poll(() => section.getByText("Give the key a name.").isVisible()).toBe(true);
    await expect.poll(() => section.getByText("Choose at least one scope.").isVisible()).toBe(true);

    await section.getByLabel("Key name").fill("build server");
    await section.getByRole("checkbox", { name: /Accounting/ }).check();
    await section.getByLabel("Expires after").selectOption("30");
    await section.getByRole("button", { name: "Create key" }).click();

    const secretBox = section.getByTestId("new-api-key");
    await expect.poll(() => secretBox.isVisible()).toBe(true);
    const secret = (await secretBox.textContent()) ?? "";
    expect(secret).toMatch(/^pk_/);
    await expect.poll(() => section.getByText("it is shown only once").isVisible()).toBe(true);
    await expect.poll(() => section.getByText(`${secret.slice(0, 11)}…`).isVisible()).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "api-keys-01-created");

    // The key works for a program, and the list then shows its last use.
    await expect(server.client(secret).accounting.balance.query()).resolves.toMatchObject({ available: 0 });
    await section.getByRole("button", { name: "Done" }).click();
    expect(await section.getByTestId("new-api-key").count()).toBe(0);
    await page.reload();
    await expect.poll(() => section.getByText(/accounting · created .* · used /).isVisible()).toBe(true);

    // Revoke it: the program is refused at once.
    await section.getByRole("button", { name: "Revoke build server" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke this key?" });
    await dialog.getByRole("button", { name: "Revoke key" }).click();
    await expect.poll(() => section.getByText("No API keys yet.").isVisible()).toBe(true);
    expect((await failureOf(server.client(secret).accounting.balance.query())).code).toBe("UNAUTHORIZED");
    await screenshot(page, "api-keys-02-revoked");
  });
});
