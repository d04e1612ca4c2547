import { describe, expect, it } from "vitest";
import { plainText } from "./plain-text.ts";

describe("plainText", () => {
  it("strips Markdown to one line of text", () => {
    const markdown =
      "# Title\n\nSome **bold** and _italic_ with `code` and a [link](https://example.com).\n\n- one\n- two";
    expect(plainText(markdown)).toBe("Title Some bold and italic with code and a link. one two");
  });

  it("keeps code out of fences and cuts long text with an ellipsis", () => {
    expect(plainText("```ts\nconst x = 1;\n```")).toBe("const x = 1;");
    const long = plainText("word ".repeat(100), 20);
    expect(long).toHaveLength(20);
    expect(long.endsWith("…")).toBe(true);
  });
});
