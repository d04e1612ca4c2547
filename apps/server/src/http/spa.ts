import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Context, Hono } from "hono";
import { isApiPath } from "./api-not-found.ts";
import type { AppEnv } from "./env.ts";

/** Hashed file names change with their content, so a copy never goes stale. */
const IMMUTABLE = "public, max-age=31536000, immutable";
/** Everything else (index.html, favicon): revalidated on each use, so a deploy shows at once. */
const REVALIDATE = "no-cache";

/**
 * The build writes `.br` and `.gz` beside each text asset (apps/web/vite.config.ts); serveStatic
 * sends the one the request's Accept-Encoding allows (brotli first), or the plain file.
 */
const COMPRESSED_SUFFIX = /\.(?:br|gz)$/;
const COMPRESSIBLE = /\.(?:html|css|js|mjs|json|svg|xml|txt)$/;

/**
 * A cache must key the answer on Accept-Encoding whenever it could have differed, the plain file
 * included (serveStatic says so only when it picked a compressed one).
 */
function varyOnEncoding(path: string, c: Context<AppEnv>): void {
  if (!COMPRESSED_SUFFIX.test(path) && COMPRESSIBLE.test(path))
    c.header("Vary", "Accept-Encoding", { append: true });
}

/**
 * Serves the built SPA: hashed assets with a long cache life, precompressed copies by
 * Accept-Encoding, and index.html for every other GET that is not an API path, so client-side
 * routes survive a reload (history-API fallback). Unknown API paths fall through to the app's
 * JSON 404.
 */
export function mountSpa(app: Hono<AppEnv>, distDir: string): boolean {
  const indexPath = join(distDir, "index.html");
  if (!existsSync(indexPath)) return false;
  const root = relative(process.cwd(), distDir) || ".";

  app.use(
    "/assets/*",
    serveStatic({
      root,
      precompressed: true,
      onFound: (path, c) => {
        varyOnEncoding(path, c);
        c.header("Cache-Control", IMMUTABLE);
      },
    }),
  );
  // A chunk an older build named (a tab open across a deploy) is missing, not a client route: a
  // 404 lets the import fail cleanly instead of parsing index.html as JavaScript.
  app.get("/assets/*", (c) => {
    c.header("Cache-Control", REVALIDATE);
    return c.text("Not found", 404);
  });
  const revalidated = {
    root,
    precompressed: true,
    onFound: (path: string, c: Context<AppEnv>) => {
      varyOnEncoding(path, c);
      c.header("Cache-Control", REVALIDATE);
    },
  };
  app.use("*", serveStatic(revalidated));
  const serveIndex = serveStatic({ ...revalidated, path: "index.html" });
  app.get("*", (c, next) => (isApiPath(c.req.path) ? next() : serveIndex(c, next)));
  return true;
}
