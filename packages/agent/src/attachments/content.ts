import type { ContentBlock } from "@langchain/core/messages";
import { type DocumentFormat, type ImageFormat, isImageFormat } from "./formats.ts";

/** What the model needs of an attachment. */
export interface ModelAttachment {
  name: string;
  format: ImageFormat | DocumentFormat;
  data: Uint8Array;
  tokenEstimate: number;
}

/**
 * Attachments as LangChain content parts in Converse's own block shapes: @langchain/aws
 * (convertLangChainContentBlockToConverseContentBlock) passes `{ type: "image", image }` and
 * `{ type: "document", document }` through to Bedrock unchanged, bytes and all.
 */
export function attachmentParts(
  attachments: ModelAttachment[],
  /** Document names already used in the request (shared by every message of one prompt). */
  names = new Set<string>(),
): ContentBlock[] {
  return attachments.map((a) => {
    if (isImageFormat(a.format)) {
      return { type: "image", image: { format: a.format, source: { bytes: a.data } } };
    }
    const name = uniqueName(documentName(a.name), names);
    return { type: "document", document: { format: a.format, name, source: { bytes: a.data } } };
  });
}

/**
 * Bedrock's rule for a document's name: letters, digits, single spaces, hyphens, parentheses and
 * square brackets. The file name without its extension, other characters turned into spaces.
 */
export function documentName(fileName: string): string {
  const stem = fileName.includes(".") ? fileName.slice(0, fileName.lastIndexOf(".")) : fileName;
  const name = stem
    .replace(/[^A-Za-z0-9\s\-()[\]]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 100)
    .trim();
  return name || "document";
}

/** Bedrock refuses two documents of one name in a request. */
function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name} (${n})`;
  taken.add(candidate);
  return candidate;
}
