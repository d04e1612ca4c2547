import removeMarkdown from "remove-markdown";

/** How much of a message is read to make a preview: enough that stripping still leaves a line. */
export const PREVIEW_SOURCE_CHARS = 600;
export const PREVIEW_CHARS = 140;

/**
 * A message as one line of plain text: Markdown syntax (emphasis, headings, links, code fences,
 * lists, tables) removed, whitespace collapsed, cut at `max` characters with an ellipsis.
 */
export function plainText(markdown: string, max = PREVIEW_CHARS): string {
  const text = removeMarkdown(markdown, { gfm: true, useImgAltText: true }).replace(/\s+/g, " ").trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
