import { describe, expect, it } from "vitest";
import { mediaProblem, mediaTokens } from "./media.ts";
import type { ConverseRequestBody } from "./request.ts";

// A 1×1 PNG and the same bytes cut short.
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const CUT = Buffer.from(PNG, "base64").subarray(0, 12).toString("base64");
const text = (s: string) => Buffer.from(s).toString("base64");

const request = (...content: ConverseRequestBody["messages"][number]["content"]): ConverseRequestBody => ({
  messages: [{ role: "user", content: [...content, { text: "Look" }] }],
});

describe("the fake Bedrock's image and document blocks", () => {
  it("accepts what Bedrock accepts and counts it into the input tokens", () => {
    const body = request(
      { image: { format: "png", source: { bytes: PNG } } },
      { document: { format: "txt", name: "notes (1)", source: { bytes: text("three short words") } } },
      { document: { format: "pdf", name: "report", source: { bytes: text("%PDF-1.4 12345678") } } },
    );
    expect(mediaProblem(body)).toBeNull();
    // 1×1 image: 1 token; the text document: 3 words; the 17-byte PDF: a token per 4 bytes.
    expect(mediaTokens(body)).toBe(1 + 3 + 5);
  });

  it("refuses a bad format, unreadable image, mismatched format, bad or duplicate names, no bytes", () => {
    const problems = [
      request({ image: { format: "bmp", source: { bytes: PNG } } }),
      request({ image: { format: "png", source: { bytes: CUT } } }),
      request({ image: { format: "jpeg", source: { bytes: PNG } } }),
      request({ document: { format: "txt", name: "a.txt", source: { bytes: text("x") } } }),
      request({ document: { format: "txt", name: "two  spaces", source: { bytes: text("x") } } }),
      request(
        { document: { format: "txt", name: "same", source: { bytes: text("x") } } },
        { document: { format: "md", name: "same", source: { bytes: text("y") } } },
      ),
      request({ document: { format: "exe", name: "x", source: { bytes: text("x") } } }),
      request({ document: { format: "txt", name: "x", source: { bytes: "" } } }),
    ].map(mediaProblem);
    expect(problems).toEqual([
      'messages.0.content.0.image: unsupported format "bmp"',
      "messages.0.content.0.image: Could not process image",
      "messages.0.content.0.image: the image does not match its format",
      'messages.0.content.0.document: invalid document name "a.txt"',
      'messages.0.content.0.document: invalid document name "two  spaces"',
      'messages.0.content.1.document: duplicate document name "same"',
      'messages.0.content.0.document: unsupported format "exe"',
      "messages.0.content.0.document: source.bytes is missing or empty",
    ]);
  });
});
