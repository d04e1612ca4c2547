// Instructions and parameters per chat, and presets, in the browser: the settings dialog (loaded
// on demand) changes what the model receives — the fake Bedrock's `echo` answers with the system
// prompt, temperature and answer length it got — and a saved preset starts a new chat.
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousA11yViolations } from "../support/axe.ts";
import { chatInBrowser, screenshot } from "../support/browser.ts";

let page: Page;
let pageErrors: string[];
let close: () => Promise<void>;

beforeAll(async () => {
  ({ page, pageErrors, close } = await chatInBrowser());
});

afterAll(() => close?.());

const settledAnswers = () => page.getByRole("article", { name: "Answer", exact: true });
const dialog = () => page.getByRole("dialog", { name: "Chat settings" });
const textOf = async (answer: Locator) => (await answer.textContent()) ?? "";

async function send(text: string, answersBefore: number) {
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await box.press("Enter");
  await expect.poll(() => settledAnswers().count(), { timeout: 20_000 }).toBe(answersBefore + 1);
  const answer = settledAnswers().nth(answersBefore);
  await expect.poll(() => textOf(answer)).toContain("maxTokens=");
  return textOf(answer);
}

describe("chat settings in the browser", () => {
  it("a system prompt, temperature and answer length set in the dialog reach the model", async () => {
    expect(await send("Hello [[fake echo]]", 0)).toContain("temperature=unset maxTokens=8192");
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);

    await page.getByRole("button", { name: "Chat settings" }).click();
    await dialog().waitFor();
    await dialog().getByLabel("Instructions").fill("Always answer like a pirate.");
    // Out of bounds: the server's message, on the field.
    await dialog().getByLabel("Temperature").fill("3");
    await dialog().getByRole("button", { name: "Save settings" }).click();
    await expect
      .poll(() => dialog().getByText("The temperature must be between 0 and 1.").isVisible())
      .toBe(true);
    await dialog().getByLabel("Temperature").fill("0.3");
    await dialog().getByLabel("Max answer length").fill("64");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "chat-settings-01-dialog");
    await dialog().getByRole("button", { name: "Save settings" }).click();
    await expect.poll(() => dialog().count()).toBe(0);

    const answer = await send("Who are you? [[fake echo]]", 1);
    expect(answer).toContain("Always answer like a pirate.");
    expect(answer).toContain("temperature=0.3 maxTokens=64");
    await screenshot(page, "chat-settings-02-answer");
  });

  it("settings saved as a preset start a new chat", async () => {
    await page.getByRole("button", { name: "Chat settings" }).click();
    await dialog().waitFor();
    expect(await dialog().getByLabel("Instructions").inputValue()).toBe("Always answer like a pirate.");
    await dialog().getByLabel("Preset name").fill("Pirate");
    await dialog().getByRole("button", { name: "Save preset" }).click();
    await expect.poll(() => dialog().getByText("Saved as the preset “Pirate”.").isVisible()).toBe(true);
    await dialog().getByRole("button", { name: "Cancel" }).click();

    await page.getByRole("link", { name: "New chat", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/chat");
    const preset = page.getByRole("list", { name: "Presets" }).getByRole("button", { name: "Pirate" });
    await preset.click();
    await expect.poll(() => preset.getAttribute("aria-pressed")).toBe("true");
    await screenshot(page, "chat-settings-03-preset-chooser");
    const answer = await send("Ahoy? [[fake echo]]", 0);
    expect(answer).toContain("Always answer like a pirate.");
    expect(answer).toContain("temperature=0.3 maxTokens=64");
    expect(pageErrors).toEqual([]);
  });
});
