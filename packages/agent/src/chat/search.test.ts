import { describe, expect, it } from "vitest";
import { segmentsOf } from "./search.ts";

describe("segmentsOf", () => {
  it("cuts a ts_headline result at its markers into plain and matching runs", () => {
    expect(segmentsOf("Take a \u0002zeppelin\u0003 over \u0002the\u0003 \u0002Alps\u0003.")).toEqual([
      { text: "Take a ", match: false },
      { text: "zeppelin", match: true },
      { text: " over ", match: false },
      { text: "the", match: true },
      { text: " ", match: false },
      { text: "Alps", match: true },
      { text: ".", match: false },
    ]);
  });

  it("returns plain text as one run, and nothing for nothing", () => {
    expect(segmentsOf("no match here")).toEqual([{ text: "no match here", match: false }]);
    expect(segmentsOf("")).toEqual([]);
  });

  it("drops stray markers rather than guessing", () => {
    expect(segmentsOf("a\u0003b \u0002c")).toEqual([
      { text: "ab ", match: false },
      { text: "c", match: true },
    ]);
  });
});
