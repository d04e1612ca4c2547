// Files and images in the chat screen: the picker, drag-and-drop and pasting put chips in the
// composer (uploaded at once, refusals shown on the chip); sent messages show image thumbnails and
// document chips; the fake Bedrock receives the blocks.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatInBrowser, chatInBrowser, screenshot } from "../support/browser.ts";
import { png } from "../support/files.ts";

let stack: ChatInBrowser["stack"];
let page: Page;
let pageErrors: string[];
let close: () => Promise<void>;

beforeAll(async () => {
  ({ stack, page, pageErrors, close } = await chatInBrowser(
    {
      // The second model is not in the catalog: text only.
      BEDROCK_MODEL_ARNS: "anthropic.claude-3-5-haiku-20241022-v1:0,acme.text-only-v1",
    },
    { width: 1280, height: 900 },
  ));
});

afterAll(() => close?.());

const draftChips = () => page.getByRole("form", { name: "Send a message" }).getByRole("listitem");
const settledAnswers = () => page.getByRole("article", { name: "Answer", exact: true });
const uploading = () => page.getByText("uploading…");

/** A file made in the page, for drop and paste events (which carry a DataTransfer). */
const transferOf = (files: { name: string; type: string; base64: string }[]) =>
  page.evaluateHandle((list) => {
    // The page's DataTransfer (the tests' TypeScript has no DOM library).
    const { DataTransfer } = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: File): void } };
    };
    const transfer = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], f.name, { type: f.type }));
    }
    return transfer;
  }, files);

describe("attachments in the chat screen", () => {
  it("picks a document and an image, refuses a bad file on its chip, sends, and shows the thumbnail", async () => {
    const picker = page.getByLabel("Files to attach");
    await picker.setInputFiles([
      { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("alpha beta gamma delta") },
      { name: "chart.png", mimeType: "image/png", buffer: png(240, 160) },
      {
        name: "mystery.bin",
        mimeType: "application/octet-stream",
        buffer: Buffer.from([0, 1, 2, 3, 255, 254]),
      },
    ]);
    await expect.poll(() => draftChips().count()).toBe(3);
    await expect.poll(() => uploading().count(), { timeout: 10_000 }).toBe(0);
    const refusal = page.getByRole("alert").filter({ hasText: /mystery\.bin.*not a supported file type/ });
    await expect.poll(() => refusal.isVisible()).toBe(true);
    await screenshot(page, "attachments-01-picked");
    await page.getByRole("button", { name: "Remove mystery.bin" }).click();
    await expect.poll(() => draftChips().count()).toBe(2);

    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("What do these show? [[fake tokens=6]]");
    await box.press("Enter");
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await expect.poll(() => settledAnswers().count(), { timeout: 20_000 }).toBe(1);

    const thumbnail = page.getByRole("img", { name: "chart.png" });
    await expect.poll(() => thumbnail.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect
      .poll(() => thumbnail.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(240);
    expect(await page.getByRole("link", { name: /notes\.txt/ }).getAttribute("download")).toBe("notes.txt");
    expect(await draftChips().count()).toBe(0);

    const body = stack.fake.requests.at(-1)?.body as { messages: { content: Record<string, unknown>[] }[] };
    expect(
      body.messages
        .at(-1)
        ?.content.map((b) => Object.keys(b)[0])
        .filter((k) => k !== "cachePoint"),
    ).toEqual(["document", "image", "text"]);
    await screenshot(page, "attachments-02-sent");
  });

  it("takes a dropped document and a pasted image", async () => {
    const form = page.getByRole("form", { name: "Send a message" });
    const dropped = await transferOf([
      { name: "dropped.md", type: "text/markdown", base64: Buffer.from("# Dropped\n").toString("base64") },
    ]);
    await form.dispatchEvent("dragover", { dataTransfer: dropped });
    await form.dispatchEvent("drop", { dataTransfer: dropped });

    const pasted = await transferOf([
      { name: "image.png", type: "image/png", base64: png(64, 48, [200, 60, 60]).toString("base64") },
    ]);
    await page.getByRole("textbox", { name: "Message" }).evaluate((box, transfer) => {
      // The page's ClipboardEvent (the tests' TypeScript has no DOM library).
      const Paste = (globalThis as unknown as { ClipboardEvent: new (type: string, init: object) => Event })
        .ClipboardEvent;
      box.dispatchEvent(new Paste("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
    }, pasted);
    await expect.poll(() => draftChips().count()).toBe(2);
    await expect.poll(() => uploading().count(), { timeout: 10_000 }).toBe(0);
    expect(await page.getByRole("alert").count()).toBe(0);

    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("And these? [[fake tokens=4]]");
    await box.press("Enter");
    await expect.poll(() => settledAnswers().count(), { timeout: 20_000 }).toBe(2);
    await expect
      .poll(() => page.getByRole("img", { name: "image.png" }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(await page.getByRole("link", { name: /dropped\.md/ }).count()).toBe(1);
    await screenshot(page, "attachments-03-dropped-and-pasted");
    expect(pageErrors).toEqual([]);
  });

  it("a refused send (a model that cannot read images) says why and keeps the files in the composer", async () => {
    const before = stack.fake.requests.length;
    await page.getByLabel("Model").selectOption("acme.text-only-v1");
    await page
      .getByLabel("Files to attach")
      .setInputFiles([{ name: "photo.png", mimeType: "image/png", buffer: png(32, 32) }]);
    await expect.poll(() => uploading().count(), { timeout: 10_000 }).toBe(0);
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("Can you see this?");
    await box.press("Enter");
    await expect
      .poll(
        () =>
          page
            .getByText("acme.text-only-v1 cannot read images. Choose another model.", { exact: true })
            .isVisible(),
        { timeout: 20_000 },
      )
      .toBe(true);
    await expect.poll(() => draftChips().count()).toBe(1);
    expect(await box.inputValue()).toBe("Can you see this?");
    expect(stack.fake.requests.length).toBe(before);
    await screenshot(page, "attachments-04-refused");
    expect(pageErrors).toEqual([]);
  });
});
