import { DomainError } from "@parley/core";
import { unzipSync } from "fflate";
import { fileTypeFromBuffer } from "file-type";
import { imageSize } from "image-size";
import { estimateTokens } from "../history.ts";
import {
  ACCEPTED_FORMATS_TEXT,
  type AttachmentFormat,
  type AttachmentKind,
  isImageFormat,
  MEDIA_TYPES,
  textFormatOf,
} from "./formats.ts";

// What an upload is, read from its bytes (never from the name or type the client claims, except to
// tell text formats apart), and what it will cost the model in tokens.

export interface UploadedFile {
  name: string;
  /** The Content-Type the client sent with the part (only a hint for text formats). */
  declaredType: string;
  bytes: Uint8Array;
}

export interface InspectedAttachment {
  name: string;
  format: AttachmentFormat;
  kind: AttachmentKind;
  mediaType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  /** Input tokens the model is expected to count for it (the hold is sized by it). */
  tokenEstimate: number;
}

/** Bedrock refuses images wider or taller than this. */
export const MAX_IMAGE_SIDE = 8000;
/** Anthropic's image cost: width × height / 750 tokens, at most about this many (larger are scaled down). */
export const MAX_IMAGE_TOKENS = 1600;
/** A rough cost of one PDF page (Anthropic's low end, for mostly-text pages). */
export const PDF_PAGE_TOKENS = 1500;

export const imageTokens = (width: number, height: number): number =>
  Math.max(1, Math.min(MAX_IMAGE_TOKENS, Math.ceil((width * height) / 750)));

/** Checks an upload and reads what it is; a typed refusal (413, 415 or 400) when it will not do. */
export async function inspectUpload(
  file: UploadedFile,
  limits: { maxBytes: number },
): Promise<InspectedAttachment> {
  const name = cleanName(file.name);
  const size = file.bytes.byteLength;
  if (size === 0) throw new DomainError("BAD_REQUEST", `"${name}" is empty.`, { field: "file" });
  if (size > limits.maxBytes) {
    throw new DomainError(
      "PAYLOAD_TOO_LARGE",
      `"${name}" is larger than ${formatBytes(limits.maxBytes)}, the most one attachment may be.`,
      { field: "file", maxBytes: limits.maxBytes, sizeBytes: size },
    );
  }
  const detected = await fileTypeFromBuffer(file.bytes);
  const base = { name, sizeBytes: size };
  if (!detected) return { ...base, ...inspectText(file, name) };
  const format = BINARY_FORMATS[detected.mime];
  if (!format) throw unsupported(name, detected.mime);
  if (isImageFormat(format)) return { ...base, ...inspectImage(file.bytes, format, name) };
  return { ...base, ...inspectBinaryDocument(file.bytes, format, name) };
}

const BINARY_FORMATS: Readonly<Record<string, AttachmentFormat>> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/gif": "gif",
  "image/webp": "webp",
  "application/pdf": "pdf",
  [MEDIA_TYPES.docx]: "docx",
};

function unsupported(name: string, what: string): DomainError {
  return new DomainError(
    "UNSUPPORTED_MEDIA_TYPE",
    `"${name}" is not a supported file type (${what}). Attach ${ACCEPTED_FORMATS_TEXT}.`,
    { field: "file", detected: what },
  );
}

function corrupt(name: string, why: string): DomainError {
  return new DomainError("BAD_REQUEST", `"${name}" cannot be read: ${why}`, { field: "file" });
}

function inspectImage(bytes: Uint8Array, format: AttachmentFormat, name: string) {
  let width: number;
  let height: number;
  try {
    ({ width, height } = imageSize(bytes));
  } catch {
    throw corrupt(name, "the image is damaged or incomplete.");
  }
  if (!(width > 0 && height > 0)) throw corrupt(name, "the image has no size.");
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new DomainError(
      "BAD_REQUEST",
      `"${name}" is ${width}×${height} pixels; images may be at most ${MAX_IMAGE_SIDE} pixels on a side.`,
      { field: "file", width, height, maxSide: MAX_IMAGE_SIDE },
    );
  }
  return {
    format,
    kind: "image" as const,
    mediaType: MEDIA_TYPES[format],
    width,
    height,
    tokenEstimate: imageTokens(width, height),
  };
}

function inspectBinaryDocument(bytes: Uint8Array, format: AttachmentFormat, name: string) {
  return documentOf(format, format === "pdf" ? pdfPages(bytes) * PDF_PAGE_TOKENS : docxTokens(bytes, name));
}

/** What is known of an uploaded document: no size in pixels, its estimated tokens. */
function documentOf(format: AttachmentFormat, tokenEstimate: number) {
  return {
    format,
    kind: "document" as const,
    mediaType: MEDIA_TYPES[format],
    width: null,
    height: null,
    tokenEstimate,
  };
}

/** Pages of a PDF, counted from its page objects; when those are compressed, guessed from the size. */
function pdfPages(bytes: Uint8Array): number {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
  return Math.max(1, pages || Math.ceil(bytes.byteLength / 50_000));
}

/** The most a DOCX's text part may unzip to: a small file that inflates to gigabytes is a zip bomb. */
const MAX_DOCX_TEXT_BYTES = 64 * 1024 * 1024;

/** Tokens of a DOCX's text (its word/document.xml without the markup). */
function docxTokens(bytes: Uint8Array, name: string): number {
  let xml: Uint8Array | undefined;
  let tooBig = false;
  try {
    const parts = unzipSync(bytes, {
      filter: (entry) => {
        if (entry.name !== "word/document.xml") return false;
        tooBig = entry.originalSize > MAX_DOCX_TEXT_BYTES;
        return !tooBig;
      },
    });
    xml = parts["word/document.xml"];
  } catch {
    throw corrupt(name, "the document is damaged or incomplete.");
  }
  if (tooBig) throw corrupt(name, "its text is too large to read.");
  if (!xml) throw corrupt(name, "the document has no text part.");
  const text = new TextDecoder().decode(xml).replace(/<[^>]*>/g, " ");
  return estimateTokens(text.replace(/\s+/g, " "));
}

/** UTF-8 text with no control characters but tab, line feed and carriage return. */
function inspectText(file: UploadedFile, name: string) {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(file.bytes);
  } catch {
    throw unsupported(name, "binary data");
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) throw unsupported(name, "binary data");
  return documentOf(textFormatOf(name, file.declaredType), estimateTokens(text));
}

/** The name without folders or control characters, at most 255 characters (keeping the extension). */
export function cleanName(raw: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const base = (raw.split(/[\\/]/).pop() ?? "").replace(/[\u0000-\u001f\u007f]/g, "").trim();
  if (!base) return "attachment";
  if (base.length <= 255) return base;
  const dot = base.lastIndexOf(".");
  const extension = dot > 0 && base.length - dot <= 10 ? base.slice(dot) : "";
  return base.slice(0, 255 - extension.length) + extension;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
