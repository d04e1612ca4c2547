import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";
import { isApiPath } from "./api-not-found.ts";
import type { AppEnv } from "./env.ts";

/**
 * Serves the built SPA: hashed assets with a long cache life, and index.html for every other GET
 * that is not an API path, so client-side routes survive a reload (history-API fallback). Unknown
 * API paths fall through to the app's JSON 404.
 */
export function mountSpa(app: Hono<AppEnv>, distDir: string): boolean {
  const indexPath = join(distDir, "index.html");
  if (!existsSync(indexPath)) return false;
  const root = relative(process.cwd(), distDir) || ".";

  app.use(
    "/assets/*",
    serveStatic({
      root,
      onFound: (_path, c) => {
        c.header("Cache-Control", "public, max-age=31536000, immutable");
      },
    }),
  );
  app.use("*", serveStatic({ root }));
  app.get("*", async (c, next) => {
    if (isApiPath(c.req.path)) return next();
    const html = await readFile(indexPath, "utf8");
    c.header("Cache-Control", "no-cache");
    return c.html(html);
  });
  return true;
}
