// The Markdown renderer (react-markdown, GFM, highlighting: the biggest chunk the chat can load)
// is downloaded only once a chat has an answer to render: the new-chat page and an empty chat
// never fetch it; a streamed answer and a stored one both load it and render Markdown.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatDirective } from "@parley/agent/fake-bedrock";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.ts";
import { startChatTestServer } from "../support/chat.ts";
import type { TestServer } from "../support/server.ts";
import { signUp } from "../support/users.ts";

const manifestPath = join(import.meta.dirname, "..", "..", "apps", "web", "dist", ".vite", "manifest.json");
const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, { file: string }>;
/** The renderer's chunk, as the build named it. */
const markdownChunk = `/${manifest["src/components/chat/Markdown.tsx"]?.file ?? "missing-markdown-chunk"}`;

let stack: Awaited<ReturnType<typeof startChatTestServer>>;
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let account: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  stack = await startChatTestServer({ SIGNUP_CREDITS: "5000" });
  ({ server } = stack);
  browser = await launchBrowser();
  account = await signUp(server);
  context = await browser.newContext({ baseURL: server.url });
  await context.addCookies([{ name: "parley_session", value: account.token, url: server.url }]);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

/** A fresh tab (empty memory cache within the context's HTTP cache aside) and the paths it requests. */
async function recordedPage(): Promise<{ page: Page; paths: string[] }> {
  const page = await context.newPage();
  const paths: string[] = [];
  page.on("request", (request) => paths.push(new URL(request.url()).pathname));
  return { page, paths };
}

describe("loading the Markdown renderer", () => {
  it("the new-chat page does not download it", async () => {
    expect(markdownChunk).toMatch(/^\/assets\/Markdown-.+\.js$/);
    const { page, paths } = await recordedPage();
    await page.goto("/chat");
    await expect.poll(() => page.getByRole("textbox", { name: "Message" }).isVisible()).toBe(true);
    await page.waitForLoadState("networkidle");
    expect(paths.some((path) => path.startsWith("/assets/index-"))).toBe(true);
    expect(paths).not.toContain(markdownChunk);
    await page.close();
  });

  it("an empty chat does not download it", async () => {
    const session = await account.client.sessions.create.mutate({ title: "Nothing yet" });
    const { page, paths } = await recordedPage();
    await page.goto(`/chat/${session.id}`);
    await expect.poll(() => page.getByRole("heading", { name: "Nothing yet" }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole("textbox", { name: "Message" }).isVisible()).toBe(true);
    await page.waitForLoadState("networkidle");
    expect(paths).not.toContain(markdownChunk);
    await page.close();
  });

  it("an answer arriving loads it and renders Markdown; a stored answer does too", async () => {
    const { page, paths } = await recordedPage();
    await page.goto("/chat");
    const box = page.getByRole("textbox", { name: "Message" });
    await expect.poll(() => box.isVisible()).toBe(true);
    await page.waitForLoadState("networkidle");
    expect(paths).not.toContain(markdownChunk);

    const markdown = "## Shopping\n\n- **bread**\n- milk\n\n```ts\nconst total: number = 2;\n```";
    await box.fill(`A list please ${formatDirective({ text: markdown })}`);
    await box.press("Enter");
    const answer = page.getByRole("article", { name: "Answer", exact: true });
    await expect
      .poll(() => answer.getByRole("heading", { name: "Shopping" }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    expect(await answer.locator("li strong").textContent()).toBe("bread");
    await expect.poll(() => answer.locator(".hljs-keyword").count()).toBeGreaterThan(0);
    expect(paths).toContain(markdownChunk);
    const chatPath = new URL(page.url()).pathname;
    await page.close();

    // The same chat opened afresh: its stored answer brings the renderer with it.
    const reopened = await recordedPage();
    await reopened.page.goto(chatPath);
    const stored = reopened.page.getByRole("article", { name: "Answer", exact: true });
    await expect
      .poll(() => stored.getByRole("heading", { name: "Shopping" }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(reopened.paths).toContain(markdownChunk);
    await reopened.page.close();
  });
});
