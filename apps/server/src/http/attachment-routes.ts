import { type ApiServices, apiKeyMayCall } from "@parley/api";
import { DomainError } from "@parley/core";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { Hono, Context as HonoContext } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { apiContext } from "./api-context.ts";
import type { AppEnv } from "./env.ts";
import type { OriginPolicy } from "./request-info.ts";

export interface AttachmentRoutesOptions {
  services: ApiServices;
  originPolicy: OriginPolicy;
}

/** Room for the multipart framing and headers around the largest file accepted. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Files and images for chat messages, outside tRPC because they are bytes:
 * `POST /api/attachments` (multipart, field `file`) → `{ attachmentId, … }`, then
 * `sessions.send({ …, attachmentIds })`; `GET /api/attachments/:id` serves one back to its owner.
 * The same callers and rules as tRPC: session cookie or bearer token (an API key needs the chat
 * scope), and cookie-authenticated uploads from a foreign origin are refused (CSRF).
 */
export function mountAttachmentRoutes(app: Hono<AppEnv>, options: AttachmentRoutesOptions): void {
  const { attachments } = options.services.chat;
  const limit = bodyLimit({
    maxSize: attachments.settings.maxBytes + MULTIPART_OVERHEAD_BYTES,
    // The rest of the oversized body is never read, so the connection cannot be reused.
    onError: (c) =>
      c.json(
        errorBody(
          new DomainError("PAYLOAD_TOO_LARGE", "The file is larger than the most one attachment may be.", {
            field: "file",
            maxBytes: attachments.settings.maxBytes,
          }),
        ),
        413,
        { Connection: "close" },
      ),
  });

  app.post("/api/attachments", limit, (c) =>
    respond(c, async () => {
      const userId = await caller(c, options, "write");
      const form = await c.req.parseBody().catch(() => null);
      const file = form?.file;
      if (!(file instanceof File)) {
        throw new DomainError("BAD_REQUEST", "Send the file as multipart/form-data in a field named file.", {
          field: "file",
        });
      }
      const info = await attachments.upload(userId, {
        name: file.name,
        declaredType: file.type,
        bytes: new Uint8Array(await file.arrayBuffer()),
      });
      const { id, ...rest } = info;
      return c.json({ attachmentId: id, ...rest }, 201);
    }),
  );

  app.get("/api/attachments/:id", (c) =>
    respond(c, async () => {
      const userId = await caller(c, options, "read");
      const id = c.req.param("id");
      if (!UUID.test(id)) throw new DomainError("NOT_FOUND", "No such attachment.");
      const found = await attachments.read(userId, id);
      // Images are shown in the page; documents only ever download (an HTML file never runs here).
      const disposition = found.kind === "image" ? "inline" : "attachment";
      const type = found.mediaType.startsWith("text/")
        ? `${found.mediaType}; charset=utf-8`
        : found.mediaType;
      return new Response(found.data, {
        headers: {
          "Content-Type": type,
          "Content-Length": String(found.data.byteLength),
          "Content-Disposition": `${disposition}; filename="${asciiName(found.name)}"; filename*=UTF-8''${encodeURIComponent(found.name)}`,
          // With the sandboxing Content-Security-Policy of hardening.ts (uploadedFileHeaders).
          "X-Content-Type-Options": "nosniff",
          // An attachment never changes: the browser may keep it (thumbnails), no shared cache may.
          "Cache-Control": "private, max-age=86400, immutable",
        },
      });
    }),
  );
}

/** The signed-in caller's id, or a typed refusal. */
async function caller(
  c: HonoContext<AppEnv>,
  options: AttachmentRoutesOptions,
  access: "read" | "write",
): Promise<string> {
  const ctx = await apiContext(c, options.services, options.originPolicy, new Headers());
  if (!ctx.user) throw new DomainError("UNAUTHORIZED", "Sign in first.");
  if (ctx.apiKey && !apiKeyMayCall(ctx.apiKey.scopes, "sessions.send")) {
    throw new DomainError("FORBIDDEN", 'This API key lacks the "chat" scope.');
  }
  // As sameOriginWrites in packages/api: a browser page elsewhere may not write with our cookie.
  if (access === "write" && ctx.request.foreignOrigin && !ctx.request.bearerToken) {
    throw new DomainError("FORBIDDEN", "Cross-origin request refused.");
  }
  return ctx.user.id;
}

/** Runs the handler; a DomainError becomes the typed JSON error body with its status. */
async function respond(c: HonoContext<AppEnv>, handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const status = getHTTPStatusCodeFromError(new TRPCError({ code: error.code })) as ContentfulStatusCode;
    return c.json(errorBody(error), status);
  }
}

function errorBody(error: DomainError) {
  return { error: { code: error.code, message: error.message, detail: error.detail } };
}

/** The name for the plain `filename=` parameter: printable ASCII without quotes or backslashes. */
const asciiName = (name: string) => name.replace(/[^\x20-\x7e]|["\\]/g, "_");
