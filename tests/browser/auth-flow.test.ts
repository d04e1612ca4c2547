// The walking skeleton end to end: a person registers, signs in, sees the profile and signs out in
// Debian's chromium, against the real server, on PostgreSQL and on the embedded database.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { newUserInput } from "../support/users.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** The profile, reached the way a person would: the account menu in the top bar. */
async function openProfile(page: Page) {
  await page.getByRole("button", { name: /^Account menu for/ }).click();
  await page.getByRole("menuitem", { name: "Your profile" }).click();
  await page.waitForURL((url) => url.pathname === "/profile");
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(/\/login/);
}

describe.each([
  ["postgres", "PostgreSQL"],
  ["embedded", "the embedded database"],
] as const)("on %s", (database, label) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database });
  });
  afterAll(() => server?.close());

  it(`register → sign in → profile → sign out → protected page refused (${label})`, async () => {
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const user = newUserInput({ displayName: "Ada Lovelace" });

    // A protected page sends a signed-out visitor to the sign-in page.
    await page.goto("/");
    await page.waitForURL(/\/login/);
    await expect.poll(() => page.getByRole("heading", { name: "Sign in" }).isVisible()).toBe(true);
    await screenshot(page, `${database}-01-sign-in`);

    // Register.
    await page
      .getByRole("link", { name: /create an account|sign up|create account/i })
      .first()
      .click();
    await page.waitForURL(/\/register/);
    // The URL changes first; the sign-in page stays on screen (its "Email or username" field too)
    // until the registration page's code has loaded.
    await expect
      .poll(() => page.getByRole("heading", { name: "Create your account" }).isVisible())
      .toBe(true);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Username").fill(user.username);
    await page.getByLabel("Display name").fill(user.displayName);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => page.getByText("at least 10 characters").first().isVisible()).toBe(true);
    await screenshot(page, `${database}-02-register-error`);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Create account" }).click();

    // Signed in straight away, on the chat screen; the profile from auth.me is one click away.
    await page.waitForURL((url) => url.pathname === "/chat");
    await openProfile(page);
    await expect.poll(() => page.getByRole("heading", { name: /Ada Lovelace/ }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText(user.email).first().isVisible()).toBe(true);
    await screenshot(page, `${database}-03-profile`);
    await signOut(page);

    // Wrong password, then the right one (by username).
    await page.getByLabel("Email or username").fill(user.username);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect
      .poll(() => page.getByRole("alert").filter({ hasText: "Invalid login or password" }).isVisible())
      .toBe(true);
    await screenshot(page, `${database}-04-sign-in-error`);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/chat");
    await openProfile(page);
    await expect.poll(() => page.getByRole("heading", { name: /Ada Lovelace/ }).isVisible()).toBe(true);

    // A reload keeps the session (HttpOnly cookie) and the route (history-API fallback).
    await page.reload();
    await expect.poll(() => page.getByRole("heading", { name: /Ada Lovelace/ }).isVisible()).toBe(true);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "parley_session")).toMatchObject({
      httpOnly: true,
      sameSite: "Lax",
    });

    // Sign out: the cookie is gone and the protected page is refused again.
    await signOut(page);
    expect((await context.cookies()).find((c) => c.name === "parley_session")).toBeUndefined();
    await page.goto("/");
    await page.waitForURL(/\/login/);
    const me = await page.evaluate(async () => (await fetch("/trpc/auth.me")).status);
    expect(me).toBe(401);

    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("SPA serving", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("serves index.html for client routes and a 404 page for unknown ones", async () => {
    const deep = await fetch(`${server.url}/some/client/route`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get("content-type")).toMatch(/text\/html/);
    const page = await browser.newPage({ baseURL: server.url });
    await page.goto("/no-such-page");
    await expect.poll(() => page.getByRole("heading", { name: /not found/i }).isVisible()).toBe(true);
    await screenshot(page, "not-found");
    await page.close();
  });
});
