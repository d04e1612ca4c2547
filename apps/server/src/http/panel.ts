import type { ApiServices } from "@parley/api";
import { appRouter } from "@parley/api";
import type { Hono } from "hono";
import { compress } from "hono/compress";
import { apiContext } from "./api-context.ts";
import { jsonNotFound } from "./api-not-found.ts";
import type { AppEnv } from "./env.ts";
import type { OriginPolicy } from "./request-info.ts";

/** on: anyone (development); admin: signed-in admins only; off: not served. */
export type PanelMode = "on" | "admin" | "off";

export interface PanelOptions {
  mode: PanelMode;
  services: ApiServices;
  originPolicy: OriginPolicy;
}

/**
 * The tRPC panel (trpc-ui-zod4) at /panel: every procedure, subscriptions included, with forms
 * built from their zod inputs; calls go to /trpc with the browser's session cookie. The page lists
 * the whole API, so outside development only admins see it, checked before anything is rendered.
 */
export function mountPanel(app: Hono<AppEnv>, options: PanelOptions): void {
  if (options.mode === "off") {
    app.all("/panel", jsonNotFound);
    return;
  }
  let html: string | undefined;
  app.get("/panel", compress(), async (c) => {
    if (options.mode === "admin") {
      const resHeaders = new Headers();
      const ctx = await apiContext(c, options.services, options.originPolicy, resHeaders);
      if (!ctx.user) return c.redirect("/login", 302);
      if (ctx.user.role !== "admin") return c.text("The tRPC panel is for admins only.", 403);
    }
    // Loaded on first use (it reads its 1 MB bundle at import); rendering parses the whole router,
    // and the result only changes with the code.
    const { renderTrpcPanel } = await import("trpc-ui-zod4");
    html ??= renderTrpcPanel(appRouter, {
      url: "/trpc",
      transformer: "superjson",
      meta: { title: "Parley tRPC panel", description: "Every procedure of the Parley API." },
    });
    c.header("Cache-Control", "no-store");
    return c.html(html);
  });
}
