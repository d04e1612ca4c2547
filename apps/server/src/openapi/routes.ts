import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Hono, MiddlewareHandler } from "hono";
import { compress } from "hono/compress";
import type { AppEnv } from "../http/env.ts";
import { buildOpenApiDocument } from "./document.ts";

/** Scalar's self-contained browser bundle, served from node_modules: no CDN, works offline. */
const SCALAR_BUNDLE = join(
  dirname(fileURLToPath(import.meta.resolve("@scalar/api-reference"))),
  "browser",
  "standalone.js",
);

/**
 * /api/openapi.json (the document) and /api/docs (Scalar's rendered reference of it). Both are made
 * on their first request: memory a server whose API reference nobody opens need not hold.
 */
export function mountOpenApi(app: Hono<AppEnv>): void {
  let document: ReturnType<typeof buildOpenApiDocument> | undefined;
  let bundle: string | undefined;
  let page: Promise<MiddlewareHandler> | undefined;

  app.get("/api/openapi.json", (c) => {
    document ??= buildOpenApiDocument();
    return c.json(document);
  });
  // 4.8 MB of JavaScript: about 1.3 MB gzipped.
  app.get("/api/docs/scalar.js", compress(), async (c) => {
    bundle ??= await readFile(SCALAR_BUNDLE, "utf8");
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(bundle, 200, { "Content-Type": "text/javascript; charset=utf-8" });
  });
  app.get("/api/docs", async (c, next) => {
    page ??= import("@scalar/hono-api-reference").then(({ Scalar }) =>
      Scalar({
        url: "/api/openapi.json",
        cdn: "/api/docs/scalar.js",
        pageTitle: "Parley API reference",
        withDefaultFonts: false,
        // Parley runs offline and self-hosted: none of Scalar's hosted services.
        agent: { disabled: true },
        showDeveloperTools: "never",
        telemetry: false,
      }),
    );
    return (await page)(c, next);
  });
}
