// Accounts an operator controls, in the browser: an admin invites someone, who registers through
// the link; an admin issues a reset link; a person resets their password through a mailed link.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousA11yViolations } from "../support/axe.ts";
import { launchBrowser, screenshot, signInInBrowser } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { resetLinkIn, startSmtpServer, type TestSmtpServer } from "../support/smtp.ts";
import { newUserInput } from "../support/users.ts";

const ADMIN = { email: "warden@example.com", password: "keeper-of-the-keys-7" };
const UI_TIMEOUT = { timeout: 15_000 };

let browser: Browser;
let server: TestServer;
let smtp: TestSmtpServer;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  smtp = await startSmtpServer();
  [browser, server] = await Promise.all([
    launchBrowser(),
    startTestServer({
      env: {
        REGISTRATION: "invite",
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        SMTP_URL: smtp.url,
      },
    }),
  ]);
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
  await smtp?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url });
  contexts.push(context);
  return context.newPage();
}

const signIn = (page: Page, login: string, password: string, next = "/chat") =>
  signInInBrowser(page, login, password, { next, ...UI_TIMEOUT });

async function expectAccessible(page: Page, screen: string) {
  const blocking = await seriousA11yViolations(page);
  expect(blocking, `${screen}: ${JSON.stringify(blocking, null, 2)}`).toEqual([]);
}

const visible = (page: Page, text: string | RegExp) => () => page.getByText(text).first().isVisible();

describe("invitations", () => {
  it("an admin creates an invitation link; the invitee registers with it, and only with it", async () => {
    const admin = await newPage();
    await signIn(admin, ADMIN.email, ADMIN.password, "/admin/accounts");
    await expect
      .poll(() => admin.getByRole("heading", { name: "Accounts" }).isVisible(), UI_TIMEOUT)
      .toBe(true);
    await expect.poll(visible(admin, /Registration: invite/), UI_TIMEOUT).toBe(true);

    const invitee = newUserInput({ displayName: "Grace Invited" });
    await admin.getByLabel("Invitee's email").fill(invitee.email);
    await admin.getByRole("button", { name: "Create invitation link" }).click();
    const linkField = admin.getByLabel("Invitation link");
    await expect.poll(() => linkField.isVisible(), UI_TIMEOUT).toBe(true);
    const link = await linkField.inputValue();
    expect(link).toMatch(/\/register\?invite=[\w-]{43}$/);
    await expectAccessible(admin, "accounts");
    await screenshot(admin, "accounts-01-invitation-created");

    // Without the link, registration says it is by invitation.
    const guest = await newPage();
    await guest.goto("/register");
    await expect
      .poll(() => guest.getByRole("heading", { name: "Parley is by invitation" }).isVisible(), UI_TIMEOUT)
      .toBe(true);
    await expectAccessible(guest, "register by invitation only");

    // With it, the form works.
    await guest.goto(link);
    await expect.poll(visible(guest, "You have been invited"), UI_TIMEOUT).toBe(true);
    await guest.getByLabel("Email").fill(invitee.email);
    await guest.getByLabel("Username").fill(invitee.username);
    await guest.getByLabel("Display name").fill(invitee.displayName);
    await guest.getByLabel("Password").fill(invitee.password);
    await screenshot(guest, "accounts-02-register-with-invitation");
    await guest.getByRole("button", { name: "Create account" }).click();
    await guest.waitForURL((url) => url.pathname === "/chat", UI_TIMEOUT);

    // The admin sees the invitation used, by whom.
    await admin.reload();
    const row = admin.getByRole("row").filter({ hasText: invitee.email });
    await expect.poll(() => row.getByText("used").isVisible(), UI_TIMEOUT).toBe(true);
    await expect.poll(() => row.getByText("Grace Invited").isVisible(), UI_TIMEOUT).toBe(true);

    // The link is spent: a second visitor is refused.
    const late = await newPage();
    await late.goto(link);
    const other = newUserInput();
    await late.getByLabel("Email").fill(invitee.email);
    await late.getByLabel("Username").fill(other.username);
    await late.getByLabel("Password").fill(other.password);
    await late.getByRole("button", { name: "Create account" }).click();
    await expect
      .poll(
        () =>
          late
            .getByRole("alert")
            .filter({ hasText: /invalid, expired or already used/ })
            .isVisible(),
        UI_TIMEOUT,
      )
      .toBe(true);
  });
});

describe("password reset", () => {
  it("an admin issues a reset link on the user's page; the person sets a new password with it", async () => {
    const person = newUserInput({ displayName: "Alan Forgetful" });
    const admin = await newPage();
    await signIn(admin, ADMIN.email, ADMIN.password, "/admin/accounts");
    await expect.poll(() => admin.getByLabel("Username").isVisible(), UI_TIMEOUT).toBe(true);
    await admin.getByLabel("Email", { exact: true }).fill(person.email);
    await admin.getByLabel("Username").fill(person.username);
    await admin.getByLabel("Display name").fill(person.displayName);
    await admin.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => admin.getByLabel("Set-password link").isVisible(), UI_TIMEOUT).toBe(true);

    // Later, from the user's page: a fresh reset link.
    await admin.getByRole("link", { name: "Alan Forgetful" }).click();
    await admin.waitForURL(/\/admin\/users\//, UI_TIMEOUT);
    await admin.getByRole("button", { name: "Reset link" }).click();
    const linkField = admin.getByLabel("Reset link", { exact: true });
    await expect.poll(() => linkField.isVisible(), UI_TIMEOUT).toBe(true);
    const link = await linkField.inputValue();
    expect(link).toMatch(/\/reset-password\?token=[\w-]{43}$/);
    await expectAccessible(admin, "reset link dialog");
    await screenshot(admin, "accounts-03-reset-link");

    // On their own page the admin gets no credits form: nobody moves credits on their own account.
    const { user: me } = await server
      .client()
      .auth.login.mutate({ login: ADMIN.email, password: ADMIN.password });
    await admin.goto(`/admin/users/${me.id}`);
    await expect.poll(visible(admin, "Nobody moves credits on their own account"), UI_TIMEOUT).toBe(true);
    const page = await newPage();
    await page.goto(link);
    await expect
      .poll(() => page.getByRole("heading", { name: "Choose a new password" }).isVisible(), UI_TIMEOUT)
      .toBe(true);
    await page.getByLabel("New password").fill("short");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect.poll(visible(page, "at least 10 characters"), UI_TIMEOUT).toBe(true);
    await page.getByLabel("New password").fill("a-password-of-my-own");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect
      .poll(() => page.getByRole("heading", { name: "Password changed" }).isVisible(), UI_TIMEOUT)
      .toBe(true);
    await expectAccessible(page, "password changed");
    await signIn(page, person.username, "a-password-of-my-own");
    expect(new URL(page.url()).pathname).toBe("/chat");
  });

  it("with SMTP configured, 'Forgot password?' mails a link that sets a new password", async () => {
    const person = newUserInput();
    const admin = server.client(
      (await server.client().auth.login.mutate({ login: ADMIN.email, password: ADMIN.password })).token,
    );
    await admin.admin.users.create.mutate({
      email: person.email,
      username: person.username,
      password: person.password,
    });

    const page = await newPage();
    await page.goto("/login");
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.waitForURL(/\/reset-password$/, UI_TIMEOUT);
    // The URL changes first; the sign-in page stays on screen (its "Email or username" field too)
    // until the reset page's code has loaded.
    await expect
      .poll(() => page.getByRole("heading", { name: "Forgot your password?" }).isVisible(), UI_TIMEOUT)
      .toBe(true);
    await page.getByLabel("Email").fill(person.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect
      .poll(() => page.getByRole("heading", { name: "Check your mail" }).isVisible(), UI_TIMEOUT)
      .toBe(true);
    await expectAccessible(page, "check your mail");
    await screenshot(page, "accounts-04-check-your-mail");

    const link = resetLinkIn(await smtp.mailTo(person.email));
    await page.goto(link);
    await page.getByLabel("New password").fill("mailed-and-mended-1");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect
      .poll(() => page.getByRole("heading", { name: "Password changed" }).isVisible(), UI_TIMEOUT)
      .toBe(true);
    await signIn(page, person.email, "mailed-and-mended-1");
    expect(new URL(page.url()).pathname).toBe("/chat");
  });
});
