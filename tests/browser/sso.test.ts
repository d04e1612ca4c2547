// Single sign-on as a person does it: the sign-in page's "Sign in with …" button, the provider's
// own form (a real OpenID Connect provider started here), and back into Parley, signed in.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousA11yViolations } from "../support/axe.ts";
import { launchBrowser, screenshot } from "../support/browser.ts";
import { startTestOidcProvider, type TestOidcProvider } from "../support/oidc-provider.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let browser: Browser;
let idp: TestOidcProvider;
let server: TestServer;

beforeAll(async () => {
  browser = await launchBrowser();
  idp = await startTestOidcProvider();
  server = await startTestServer({ env: { ...idp.env, OIDC_DISPLAY_NAME: "Acme ID" } });
  idp.registerClient(`${server.url}/auth/oidc/callback`);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await idp?.close();
});

describe("single sign-on in the browser", () => {
  it("signs in with the provider from the sign-in page and lands where the visitor was going", async () => {
    idp.accounts.set("grace", {
      sub: "grace",
      email: "grace.hopper@example.com",
      email_verified: true,
      name: "Grace Hopper",
      preferred_username: "grace",
    });
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));

    // A protected page sends the visitor to sign in, remembering where they were going.
    await page.goto("/profile");
    await page.waitForURL(/\/login\?next=/);
    const button = page.getByRole("link", { name: "Sign in with Acme ID" });
    await expect.poll(() => button.isVisible()).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "sso-01-sign-in-page");
    await button.click();

    // The provider's own sign-in form.
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.getByLabel("Account").fill("grace");
    await page.getByRole("button", { name: "Continue" }).click();

    // Back in Parley, signed in, on the page the visitor asked for.
    await page.waitForURL((url) => url.origin === new URL(server.url).origin && url.pathname === "/profile");
    await expect.poll(() => page.getByRole("heading", { name: /Grace Hopper/ }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText("grace.hopper@example.com").first().isVisible()).toBe(true);
    await screenshot(page, "sso-02-signed-in");
    expect((await context.cookies()).find((c) => c.name === "parley_session")).toMatchObject({
      httpOnly: true,
      sameSite: "Lax",
    });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says why a sign-on was refused", async () => {
    idp.accounts.set("mallory", { sub: "mallory", email: "mallory@example.com", email_verified: false });
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByRole("link", { name: "Sign in with Acme ID" }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.getByLabel("Account").fill("mallory");
    await page.getByRole("button", { name: "Continue" }).click();

    await page.waitForURL(/\/login\?sso_error=sso_email_unverified/);
    const alert = page.getByRole("alert").filter({ hasText: "has not verified your e-mail address" });
    await expect.poll(() => alert.isVisible()).toBe(true);
    await screenshot(page, "sso-03-refused");
    await context.close();
  });
});
