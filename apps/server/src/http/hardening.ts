import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./env.ts";

/** The most calls one tRPC batch may carry (clients split bigger batches; see packages/client). */
export const MAX_BATCH_SIZE = 20;

const baseHeaders = {
  crossOriginEmbedderPolicy: false,
  referrerPolicy: "strict-origin-when-cross-origin",
  xFrameOptions: "DENY",
} as const;

const lockedDown = {
  imgSrc: ["'self'", "data:", "blob:"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
};

/**
 * Security headers on every response. The policy fits the built SPA: scripts, styles and fonts
 * from our own origin only (React sets styles through the DOM, which CSP allows); images only
 * from our origin or inline data, so Markdown in an answer cannot send chat text to a foreign
 * server by loading an image; no framing, no <base>, no plugins.
 */
const appHeaders = secureHeaders({
  ...baseHeaders,
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    fontSrc: ["'self'"],
    ...lockedDown,
  },
});

/**
 * The developer pages (the tRPC panel and the Scalar API reference) are third-party bundles that
 * inline their scripts and styles, and Scalar evaluates strings. They show no chat text and load
 * nothing from elsewhere; images, connections, framing and the rest stay locked down.
 */
const developerPageHeaders = secureHeaders({
  ...baseHeaders,
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    fontSrc: ["'self'", "data:"],
    workerSrc: ["'self'", "blob:"],
    ...lockedDown,
  },
});

const DEVELOPER_PAGES = new Set(["/panel", "/api/docs"]);

/**
 * Users' uploaded files served back (GET /api/attachments/:id): even opened directly, nothing in
 * one (an HTML or SVG-like document) may run or load anything.
 */
const uploadedFileHeaders = secureHeaders({
  ...baseHeaders,
  contentSecurityPolicy: { defaultSrc: ["'none'"], sandbox: [] },
});
const UPLOADED_FILE = /^\/api\/attachments\/[^/]+$/;

export const securityHeaders = createMiddleware<AppEnv>((c, next) =>
  DEVELOPER_PAGES.has(c.req.path)
    ? developerPageHeaders(c, next)
    : UPLOADED_FILE.test(c.req.path)
      ? uploadedFileHeaders(c, next)
      : appHeaders(c, next),
);

/**
 * hono/request-id sets the header before the handler runs; responses a handler builds itself
 * (tRPC's) come back without it, so it is set again on the way out.
 */
export const requestIdOnResponse = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  c.res.headers.set("X-Request-Id", c.get("requestId"));
});

/**
 * API answers are per user and often secret: no browser or proxy may keep a copy. A route serving
 * a static public file (the API reference's script bundle) says `public` itself and keeps it; one
 * serving a user's unchanging file (an attachment) says `private` and lets only the browser keep it.
 */
export const noStore = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const cacheControl = c.res.headers.get("Cache-Control");
  if (cacheControl?.startsWith("public") || cacheControl?.startsWith("private")) return;
  c.res.headers.set("Cache-Control", "no-store");
});

function procedurePaths(pathname: string): string[] {
  let path = pathname.replace(/^\/trpc\/?/, "");
  try {
    path = decodeURIComponent(path);
  } catch {
    // tRPC refuses the malformed path itself.
  }
  return path.split(",");
}

/**
 * One request, one password guess: a batch (`?batch=1` with several procedures) that carries an
 * auth.* mutation is refused, so a batch cannot multiply sign-in attempts. Batch size itself is
 * capped by tRPC (maxBatchSize).
 */
export const noBatchedAuthMutations = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method !== "POST" || c.req.query("batch") !== "1") return next();
  const paths = procedurePaths(new URL(c.req.url).pathname);
  if (paths.length > 1 && paths.some((path) => path.startsWith("auth."))) {
    return c.json(
      {
        error: {
          message: "auth.* mutations cannot be batched: send each on its own.",
          data: { code: "BAD_REQUEST", httpStatus: 400 },
        },
      },
      400,
    );
  }
  return next();
});
