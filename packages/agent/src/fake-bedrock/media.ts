import { imageSize } from "image-size";
import { imageTokens } from "../attachments/inspect.ts";
import type { ConverseRequestBody } from "./request.ts";

// Image and document content blocks, checked the way Bedrock checks them (format names, bytes,
// document names) and counted into the input tokens: images by Anthropic's width × height / 750
// (at most 1,600), text documents by their words, other documents one token per 4 bytes.

const IMAGE_FORMATS = new Set(["png", "jpeg", "gif", "webp"]);
const DOCUMENT_FORMATS = new Set(["pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md"]);
const TEXT_DOCUMENTS = new Set(["csv", "html", "txt", "md"]);
/** Bedrock's rule for document names. */
const DOCUMENT_NAME = /^[A-Za-z0-9\-()[\]]+( [A-Za-z0-9\-()[\]]+)*$/;

export interface MediaBlock {
  format?: string;
  name?: string;
  /** Base64 on the wire (the SDK encodes the blob). */
  source?: { bytes?: string };
}

/** The first problem Bedrock would answer ValidationException for, or null. */
export function mediaProblem(body: ConverseRequestBody): string | null {
  const names = new Set<string>();
  for (const [m, message] of body.messages.entries()) {
    for (const [b, block] of message.content.entries()) {
      const at = `messages.${m}.content.${b}`;
      if (block.image) {
        if (message.role !== "user") return `${at}: images are only accepted in user messages`;
        const problem = imageProblem(block.image);
        if (problem) return `${at}.image: ${problem}`;
      }
      if (block.document) {
        const problem = documentProblem(block.document, names);
        if (problem) return `${at}.document: ${problem}`;
      }
    }
  }
  return null;
}

function bytesOf(block: MediaBlock): Buffer | null {
  const encoded = block.source?.bytes;
  if (typeof encoded !== "string" || encoded.length === 0) return null;
  const bytes = Buffer.from(encoded, "base64");
  return bytes.byteLength > 0 ? bytes : null;
}

function imageProblem(image: MediaBlock): string | null {
  if (!image.format || !IMAGE_FORMATS.has(image.format)) return `unsupported format "${image.format}"`;
  const bytes = bytesOf(image);
  if (!bytes) return "source.bytes is missing or empty";
  try {
    const { type } = imageSize(bytes);
    if ((type === "jpg" ? "jpeg" : type) !== image.format) return "the image does not match its format";
  } catch {
    return "Could not process image";
  }
  return null;
}

function documentProblem(document: MediaBlock, names: Set<string>): string | null {
  if (!document.format || !DOCUMENT_FORMATS.has(document.format)) {
    return `unsupported format "${document.format}"`;
  }
  if (!document.name || !DOCUMENT_NAME.test(document.name)) return `invalid document name "${document.name}"`;
  if (names.has(document.name)) return `duplicate document name "${document.name}"`;
  names.add(document.name);
  if (!bytesOf(document)) return "source.bytes is missing or empty";
  return null;
}

/** Input tokens of the request's images and documents (checked by mediaProblem first). */
export function mediaTokens(body: ConverseRequestBody): number {
  let tokens = 0;
  for (const message of body.messages) {
    for (const block of message.content) {
      const image = block.image ? bytesOf(block.image) : null;
      if (image) {
        const { width = 1, height = 1 } = imageSize(image);
        tokens += imageTokens(width, height);
      }
      const document = block.document ? bytesOf(block.document) : null;
      if (document && block.document) {
        tokens += TEXT_DOCUMENTS.has(block.document.format ?? "")
          ? document.toString("utf8").split(/\s+/).filter(Boolean).length
          : Math.ceil(document.byteLength / 4);
      }
    }
  }
  return tokens;
}
