import {
  EXPORT_FORMATS,
  exportSession,
  readSharedSession,
  searchSessions,
  shareSession,
  unshareSession,
} from "@parley/agent";
import { MAX_SESSION_TITLE_LENGTH } from "@parley/validators";
import { z } from "zod";
import type { Context } from "../context.ts";
import { pageSchema, safeString } from "../schemas.ts";
import { protectedProcedure, publicProcedure } from "../trpc.ts";

const sessionIdSchema = z.uuid();

/** The SPA route that shows a shared chat; its JSON is at GET /api/shared/:shareId. */
function shareUrl(ctx: Context, shareId: string): string {
  return new URL(`/shared/${shareId}`, ctx.services.accounts.publicUrl()).toString();
}

/**
 * Search, export and sharing of chats: part of the sessions router (sessions.ts spreads these in),
 * kept apart so each file stays about one thing.
 */
export const sessionSocialProcedures = {
  /** Full-text search over the caller's chat titles and messages, with highlighted snippets. */
  search: protectedProcedure
    .input(z.object({ ...pageSchema, query: safeString().trim().min(1).max(MAX_SESSION_TITLE_LENGTH) }))
    .query(({ ctx, input }) => searchSessions(ctx.em, { userId: ctx.user.id, ...input })),

  /** The whole chat as a file: readable Markdown or complete JSON (docs/api.md has its shape). */
  export: protectedProcedure
    .input(z.object({ sessionId: sessionIdSchema, format: z.enum(EXPORT_FORMATS) }))
    .query(({ ctx, input }) => exportSession(ctx.em, { userId: ctx.user.id, ...input })),

  /** Turns on the chat's read-only link (the same link while it stays shared). */
  share: protectedProcedure
    .input(z.object({ sessionId: sessionIdSchema }))
    .mutation(async ({ ctx, input }) => {
      const { shareId, sharedAt } = await shareSession(ctx.em, ctx.user.id, input.sessionId);
      return { url: shareUrl(ctx, shareId), shareId, sharedAt };
    }),

  /** Turns the link off; it answers NOT_FOUND from then on, on every server process. */
  unshare: protectedProcedure
    .input(z.object({ sessionId: sessionIdSchema }))
    .mutation(({ ctx, input }) => unshareSession(ctx.em, ctx.user.id, input.sessionId)),

  /** A shared chat, read by anyone with the link, signed in or not: no owner, no costs. */
  shared: publicProcedure
    .input(z.object({ shareId: safeString().max(64) }))
    .query(({ ctx, input }) => readSharedSession(ctx.em, input.shareId)),
};
