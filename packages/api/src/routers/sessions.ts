import {
  createSession,
  DEFAULT_TITLE,
  deleteSession,
  getSession,
  listSessions,
  renameSession,
  titleFrom,
} from "@parley/agent";
import { tracked } from "@trpc/server";
import { z } from "zod";
import { modelIdSchema, pageSchema, safeString } from "../schemas.ts";
import { protectedProcedure, router } from "../trpc.ts";

const sessionIdSchema = z.uuid();
const turnIdSchema = z.uuid();
const titleSchema = safeString().trim().max(200);
/** The hard cap on a message; the configurable limit (CHAT_MAX_MESSAGE_CHARS) is checked below it. */
const contentSchema = safeString().max(100_000);
/** A stream position as sent back by a resuming client: the sequence number of its last event. */
const lastEventIdSchema = z
  .string()
  .regex(/^\d{1,9}$/, "lastEventId must be the id of an event of this stream.")
  .nullish();

export const sessionsRouter = router({
  create: protectedProcedure
    .input(
      z
        .object({
          title: titleSchema.optional(),
          modelId: modelIdSchema.optional(),
          initialMessage: contentSchema.optional(),
        })
        .default({}),
    )
    .mutation(async ({ ctx, input }) => {
      const spec = ctx.services.chat.modelFor(input.modelId);
      // The initial message (sent next with `send`) names the chat until the user renames it.
      const title = input.title || (input.initialMessage ? titleFrom(input.initialMessage) : DEFAULT_TITLE);
      const session = await createSession(ctx.em, { userId: ctx.user.id, title, modelId: spec.id });
      return { id: session.id, title: session.title, modelId: session.modelId, createdAt: session.createdAt };
    }),

  list: protectedProcedure
    .input(
      z
        .object({ ...pageSchema, search: safeString().trim().max(200).optional() })
        .default({ page: 1, size: 20 }),
    )
    .query(({ ctx, input }) => listSessions(ctx.em, { userId: ctx.user.id, ...input })),

  get: protectedProcedure
    .input(
      z.object({ sessionId: sessionIdSchema, messageLimit: z.number().int().min(1).max(500).default(100) }),
    )
    .query(({ ctx, input }) => getSession(ctx.em, { userId: ctx.user.id, ...input })),

  rename: protectedProcedure
    .input(z.object({ sessionId: sessionIdSchema, title: titleSchema.min(1) }))
    .mutation(({ ctx, input }) => renameSession(ctx.em, ctx.user.id, input.sessionId, input.title)),

  delete: protectedProcedure
    .input(z.object({ sessionId: sessionIdSchema }))
    .mutation(({ ctx, input }) => deleteSession(ctx.em, ctx.user.id, input.sessionId)),

  /**
   * What the chat screen needs to know: the models (the first is the default) and the limits.
   * Prices come from accounting.models (an admin may have changed them).
   */
  config: protectedProcedure.query(({ ctx }) => ({
    models: ctx.services.chat.models.map((m) => ({
      id: m.id,
      displayName: m.displayName,
      contextWindow: m.contextWindow,
      maxOutputTokens: m.maxOutputTokens,
    })),
    maxMessageChars: ctx.services.chat.maxMessageChars,
    demo: ctx.services.chat.demo,
  })),

  /**
   * Stores the message, holds the credits and starts the answer; follow it with `stream`. Retrying
   * with the same `clientRequestId` returns the same turn (one message, one charge).
   */
  send: protectedProcedure
    .input(
      z.object({
        sessionId: sessionIdSchema,
        content: contentSchema,
        modelId: modelIdSchema.optional(),
        clientRequestId: z.uuid().optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.chat.send({ userId: ctx.user.id, ...input })),

  /** The same answer with no stored chat (still metered): follow it with `stream`. */
  direct: protectedProcedure
    .input(
      z.object({
        content: contentSchema,
        modelId: modelIdSchema.optional(),
        clientRequestId: z.uuid().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { turnId } = await ctx.services.chat.send({ userId: ctx.user.id, sessionId: null, ...input });
      return { turnId };
    }),

  /**
   * A turn's events (SSE), each tracked with its sequence number: a reconnecting client sends the
   * last one back (`lastEventId`) and resumes after it, on whichever server process it reaches.
   * Without one, the stream starts at the beginning of the answer.
   */
  stream: protectedProcedure
    .input(z.object({ turnId: turnIdSchema, lastEventId: lastEventIdSchema }))
    .subscription(async ({ ctx, input, signal }) => {
      // Checked before the stream opens, so a refusal is an ordinary typed error.
      const events = await ctx.services.chat.openStream(
        ctx.user.id,
        input.turnId,
        input.lastEventId ? Number(input.lastEventId) : 0,
        signal ?? new AbortController().signal,
      );
      return (async function* () {
        for await (const { seq, event } of events) yield tracked(String(seq), event);
      })();
    }),

  /** Ends a running answer (stored as incomplete, charged as produced), whichever process runs it. */
  stop: protectedProcedure
    .input(z.object({ turnId: turnIdSchema }))
    .mutation(({ ctx, input }) => ctx.services.chat.stop(ctx.user.id, input.turnId)),

  /** The user's answers being written right now, to re-attach to after a reload or in another tab. */
  active: protectedProcedure.query(({ ctx }) => ctx.services.chat.active(ctx.user.id)),
});
