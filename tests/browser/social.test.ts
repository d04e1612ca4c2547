// Search, previews, sharing, export and feedback in Debian's chromium against the real server:
// the sidebar searches message bodies and highlights matches (as text, never markup), previews
// are plain text, a share link opens in a fresh signed-out browser context without spending
// credits and dies when revoked, downloads carry the chat, thumbs persist, and admins read them.
import { formatDirective } from "@parley/agent/fake-bedrock";
import type { ParleyClient } from "@parley/client";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousA11yViolations } from "../support/axe.ts";
import { launchBrowser, screenshot, signInInBrowser } from "../support/browser.ts";
import { converse, startChatTestServer } from "../support/chat.ts";
import type { TestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

let server: TestServer;
let stack: Awaited<ReturnType<typeof startChatTestServer>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let owner: Awaited<ReturnType<typeof signUp>>;
let admin: Awaited<ReturnType<typeof signUpAs>>;
let markdownChat: string;
let bodyChat: string;
const pageErrors: string[] = [];

async function chatWith(client: ParleyClient, title: string, question: string, answer: string) {
  const session = await client.sessions.create.mutate({ title });
  await converse(client, {
    sessionId: session.id,
    content: `${question} ${formatDirective({ text: answer })}`,
  });
  return session.id;
}

const signIn = (target: Page, email: string, password: string, next: string) =>
  signInInBrowser(target, email, password, { next });

async function expectAccessible(target: Page, screen: string) {
  const violations = await seriousA11yViolations(target);
  expect(violations, `accessibility violations on ${screen}`).toEqual([]);
}

beforeAll(async () => {
  stack = await startChatTestServer();
  ({ server } = stack);
  admin = await signUpAs(server, "admin");
  owner = await signUp(server);
  await admin.client.admin.credits.allocate.mutate({ userId: owner.user.id, credits: 1_000_000 });
  markdownChat = await chatWith(
    owner.client,
    "Weekend plans",
    "Any ideas?",
    "**Bold** idea: visit the *aquarium* in `town`.",
  );
  bodyChat = await chatWith(
    owner.client,
    "<i>Travel</i> notes",
    "How do I cross the Alps?",
    "Take a zeppelin over the mountains.",
  );
  browser = await launchBrowser();
  context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await signIn(page, owner.input.email, owner.input.password, "/chat");
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

describe("search and previews", () => {
  it("shows the last message in the sidebar as plain text, not Markdown", async () => {
    const history = page.getByRole("navigation", { name: "Chat history" });
    const item = history.getByRole("link", { name: /Weekend plans/ });
    await expect.poll(() => item.textContent()).toContain("Bold idea: visit the aquarium in town.");
    expect(await item.textContent()).not.toMatch(/[*`]/);
  });

  it("finds a message body and highlights the match, rendering user text as text", async () => {
    await page.getByRole("searchbox", { name: "Search chats" }).fill("zeppelin");
    const results = page.getByRole("navigation", { name: "Search results" });
    await expect.poll(() => results.getByRole("listitem").count()).toBe(1);
    const hit = results.getByRole("link");
    expect(await hit.getAttribute("href")).toBe(`/chat/${bodyChat}`);
    await expect.poll(() => hit.locator("mark").allTextContents()).toEqual(["zeppelin"]);
    // The title's angle brackets are text: no <i> element was made from them.
    expect(await hit.textContent()).toContain("<i>Travel</i> notes");
    expect(await hit.locator("i").count()).toBe(0);
    await expectAccessible(page, "search results");
    await screenshot(page, "social-01-search");

    // A title word is found too, and the chat opens from the result.
    await page.getByRole("searchbox", { name: "Search chats" }).fill("weekend");
    await expect.poll(() => results.locator("mark").allTextContents()).toEqual(["Weekend"]);
    await results.getByRole("link").click();
    await page.waitForURL(`**/chat/${markdownChat}`);
    await page.getByRole("searchbox", { name: "Search chats" }).fill("");
    await expect.poll(() => page.getByRole("navigation", { name: "Chat history" }).isVisible()).toBe(true);
  });
});

describe("feedback", () => {
  it("rates an answer with a thumb and a comment, and the rating stays after a reload", async () => {
    await page.goto(`/chat/${markdownChat}`);
    const answer = page.getByRole("article", { name: "Answer", exact: true });
    const up = answer.getByRole("button", { name: "Good answer" });
    await up.click();
    await expect.poll(() => up.getAttribute("aria-pressed")).toBe("true");
    const form = page.getByRole("form", { name: "Feedback comment" });
    await form.getByRole("textbox", { name: "Comment" }).fill("Lovely idea, thanks");
    await expectAccessible(page, "feedback comment");
    await form.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => form.isVisible()).toBe(false);

    await page.reload();
    await expect
      .poll(() => answer.getByRole("button", { name: "Good answer" }).getAttribute("aria-pressed"))
      .toBe("true");
    expect(await answer.getByRole("button", { name: "Bad answer" }).getAttribute("aria-pressed")).toBe(
      "false",
    );
    const [stored] = await owner.client.feedback.forSession.query({ sessionId: markdownChat });
    expect(stored).toMatchObject({ rating: "up", comment: "Lovely idea, thanks" });
  });

  it("lists the rating on the admin feedback screen, with filters", async () => {
    const adminContext = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 1280, height: 860 },
    });
    try {
      const adminPage = await adminContext.newPage();
      await signIn(adminPage, admin.input.email, admin.input.password, "/admin/feedback");
      const table = adminPage.getByRole("table", { name: "Feedback on answers" });
      const row = table.getByRole("row", { name: /Lovely idea, thanks/ });
      await expect.poll(() => row.isVisible()).toBe(true);
      expect(await row.textContent()).toContain(owner.input.email);
      expect(await row.textContent()).toContain("Weekend plans");
      expect(await row.textContent()).toContain("Good");
      await expectAccessible(adminPage, "admin feedback");
      await screenshot(adminPage, "social-05-admin-feedback");

      await adminPage.getByLabel("Rating").selectOption("down");
      await expect.poll(() => adminPage.getByText("No feedback matches").isVisible()).toBe(true);
      await adminPage.getByRole("button", { name: "Clear filters" }).click();
      await expect.poll(() => row.isVisible()).toBe(true);
    } finally {
      await adminContext.close();
    }
  });
});

describe("share and export", () => {
  it("downloads the chat as Markdown and JSON", async () => {
    await page.goto(`/chat/${markdownChat}`);
    await page.getByRole("button", { name: "Share or export" }).click();
    const dialog = page.getByRole("dialog", { name: "Share or export" });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    for (const [label, extension, expected] of [
      ["Markdown", ".md", "# Weekend plans"],
      ["JSON", ".json", '"format": "parley.chat"'],
    ] as const) {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        dialog.getByRole("button", { name: label }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`weekend-plans${extension}`);
      const stream = await download.createReadStream();
      let text = "";
      for await (const chunk of stream) text += chunk;
      expect(text).toContain(expected);
    }
  });

  it("opens a share link signed out in a fresh browser context, spending nothing, until it is revoked", async () => {
    const dialog = page.getByRole("dialog", { name: "Share or export" });
    await dialog.getByRole("button", { name: "Create link" }).click();
    const link = dialog.getByRole("textbox", { name: "Share link" });
    await expect.poll(() => link.inputValue()).toMatch(/\/shared\/[A-Za-z0-9_-]{32}$/);
    const url = await link.inputValue();
    await expectAccessible(page, "share dialog");
    await screenshot(page, "social-03-share-dialog");
    const balance = await owner.client.accounting.balance.query();

    const guest = await browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const reader = await guest.newPage();
      const calls: string[] = [];
      reader.on("request", (request) => calls.push(new URL(request.url()).pathname));
      await reader.goto(url);
      await expect
        .poll(() => reader.getByRole("heading", { level: 1, name: "Weekend plans" }).isVisible())
        .toBe(true);
      // The answer is rendered Markdown, read-only: nothing to type into.
      await expect.poll(() => reader.locator("strong", { hasText: "Bold" }).isVisible()).toBe(true);
      expect(await reader.getByRole("textbox").count()).toBe(0);
      expect(reader.url()).toBe(url);
      await expectAccessible(reader, "shared chat");
      await screenshot(reader, "social-04-shared-chat");
      const procedures = calls
        .filter((path) => path.startsWith("/trpc/"))
        .flatMap((p) => p.slice(6).split(","));
      expect(new Set(procedures)).toEqual(new Set(["sessions.shared"]));
      expect(await owner.client.accounting.balance.query()).toEqual(balance);

      await dialog.getByRole("button", { name: "Stop sharing" }).click();
      await expect.poll(() => dialog.getByRole("button", { name: "Create link" }).isVisible()).toBe(true);
      await reader.reload();
      await expect.poll(() => reader.getByText("This shared chat isn't available").isVisible()).toBe(true);
    } finally {
      await guest.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
