import { grantWelcomeCredits } from "@parley/accounting";
import type { Context } from "./context.ts";

/** A link into the SPA carrying a one-time token (invitation or password reset). */
export function linkWithToken(ctx: Context, path: "/register" | "/reset-password", token: string): string {
  const url = new URL(path, ctx.services.accounts.publicUrl());
  url.searchParams.set(path === "/register" ? "invite" : "token", token);
  return url.toString();
}

/** New accounts, however created, get the welcome credits (from the system, no actor). */
export function grantWelcome(ctx: Context, userId: string) {
  const { signupCredits, demo } = ctx.services.accounting;
  return grantWelcomeCredits(ctx.em, { userId, credits: signupCredits, demo });
}
