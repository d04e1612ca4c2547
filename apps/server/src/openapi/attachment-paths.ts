// The attachment routes (http/attachment-routes.ts) in the OpenAPI document: bytes, so not tRPC.

type Json = Record<string, unknown>;

const error = (description: string): Json => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/RestError" } } },
});

const uploaded: Json = {
  type: "object",
  properties: {
    attachmentId: { type: "string", format: "uuid", description: "For sessions.send({ attachmentIds })" },
    name: { type: "string" },
    mediaType: { type: "string", examples: ["image/png"] },
    format: { enum: ["png", "jpeg", "gif", "webp", "pdf", "csv", "docx", "txt", "md", "html"] },
    kind: { enum: ["image", "document"] },
    sizeBytes: { type: "integer" },
    width: { type: ["integer", "null"] },
    height: { type: ["integer", "null"] },
  },
  required: ["attachmentId", "name", "mediaType", "format", "kind", "sizeBytes", "width", "height"],
};

export const attachmentPaths: Record<string, Record<string, Json>> = {
  "/api/attachments": {
    post: {
      operationId: "attachments.upload",
      tags: ["Attachments"],
      summary: "Upload a file or image for a chat message",
      description:
        "PNG, JPEG, GIF, WebP, PDF, CSV, DOCX, TXT, MD or HTML, read from the bytes; at most " +
        "ATTACHMENT_MAX_BYTES. Send the id with sessions.send. Unsent uploads expire.",
      requestBody: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              properties: { file: { type: "string", format: "binary" } },
              required: ["file"],
            },
          },
        },
      },
      responses: {
        "201": { description: "Stored", content: { "application/json": { schema: uploaded } } },
        "400": error("A corrupt image or document, an empty file, or no file field"),
        "401": error("Not signed in"),
        "403": error("A cookie upload from a foreign origin, or an API key without the chat scope"),
        "413": error("Larger than ATTACHMENT_MAX_BYTES"),
        "415": error("Not a supported type"),
      },
    },
  },
  "/api/attachments/{id}": {
    get: {
      operationId: "attachments.read",
      tags: ["Attachments"],
      summary: "One's own uploaded file",
      description: "Images inline, documents as downloads; nosniff and a sandboxing Content-Security-Policy.",
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      responses: {
        "200": { description: "The bytes, with their Content-Type", content: { "*/*": { schema: {} } } },
        "404": error("Not the caller's, or no such attachment"),
      },
    },
  },
};
