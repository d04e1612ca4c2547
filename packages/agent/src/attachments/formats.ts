// The attachment formats Parley accepts: those Bedrock Converse takes as `image` and `document`
// content blocks (its own names are the `format` values), minus the legacy Office ones.

export const IMAGE_FORMATS = ["png", "jpeg", "gif", "webp"] as const;
export const DOCUMENT_FORMATS = ["pdf", "csv", "docx", "txt", "md", "html"] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
export type AttachmentFormat = ImageFormat | DocumentFormat;
export type AttachmentKind = "image" | "document";

/** The media type each format is served back with. */
export const MEDIA_TYPES: Readonly<Record<AttachmentFormat, string>> = {
  png: "image/png",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  pdf: "application/pdf",
  csv: "text/csv",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  txt: "text/plain",
  md: "text/markdown",
  html: "text/html",
};

/** Formats told apart only by name or declared type: their bytes are plain UTF-8 text. */
export const TEXT_FORMATS: readonly DocumentFormat[] = ["csv", "txt", "md", "html"];

const TEXT_BY_EXTENSION: Readonly<Record<string, DocumentFormat>> = {
  txt: "txt",
  text: "txt",
  log: "txt",
  md: "md",
  markdown: "md",
  csv: "csv",
  html: "html",
  htm: "html",
};

const TEXT_BY_MEDIA_TYPE: Readonly<Record<string, DocumentFormat>> = {
  "text/plain": "txt",
  "text/markdown": "md",
  "text/x-markdown": "md",
  "text/csv": "csv",
  "text/html": "html",
};

/** Which text format a file of UTF-8 text is: by its name's extension, else its declared type, else txt. */
export function textFormatOf(name: string, declaredType: string): DocumentFormat {
  const extension = name.includes(".") ? (name.split(".").pop() ?? "").toLowerCase() : "";
  return (
    TEXT_BY_EXTENSION[extension] ??
    TEXT_BY_MEDIA_TYPE[declaredType.split(";")[0]?.trim().toLowerCase() ?? ""] ??
    "txt"
  );
}

export const isImageFormat = (format: string): format is ImageFormat =>
  (IMAGE_FORMATS as readonly string[]).includes(format);

/** What the user sees in errors: "PNG, JPEG, GIF, WebP, PDF, CSV, DOCX, TXT, MD, HTML". */
export const ACCEPTED_FORMATS_TEXT = "PNG, JPEG, GIF, WebP, PDF, CSV, DOCX, TXT, MD, HTML";
