import {
  type ChatEvent,
  type ChatService,
  createSession,
  DEFAULT_TITLE,
  deleteSession,
  getSession,
  listSessions,
  renameSession,
  type Turn,
  titleFrom,
} from "@parley/agent";
import { DomainError } from "@parley/core";
import { tracked } from "@trpc/server";
import { z } from "zod";
import { modelIdSchema, pageSchema } from "../schemas.ts";
import { protectedProcedure, router } from "../trpc.ts";

const sessionIdSchema = z.uuid();
const titleSchema = z.string().trim().max(200);
/** The hard cap on a message; the configurable limit (CHAT_MAX_MESSAGE_CHARS) is checked below it. */
const contentSchema = z.string().max(100_000);

/**
 * Streams a turn's events, each tracked with `<turnId>:<seq>`: when the connection drops,
 * httpSubscriptionLink reconnects with that id and the stream resumes after it.
 */
async function* streamTurn(turn: Turn, fromSeq: number, signal: AbortSignal | undefined) {
  const controller = new AbortController();
  signal?.addEventListener("abort", () => controller.abort(), { once: true });
  for await (const { seq, event } of turn.listen(fromSeq, controller.signal)) {
    yield tracked(`${turn.id}:${seq}`, event);
  }
}

/**
 * Starts a turn, or explains why not as an `error` event: a subscription's errors would otherwise
 * surface only once the stream is open, without the typed code a client needs.
 */
async function* startOrRefuse(start: () => Promise<Turn>, signal: AbortSignal | undefined) {
  let turn: Turn;
  try {
    turn = await start();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const refusal: ChatEvent = {
      type: "error",
      code: error.code,
      message: error.message,
      messageId: null,
      creditsCharged: 0,
    };
    yield tracked(`refused:${crypto.randomUUID()}`, refusal);
    return;
  }
  yield* streamTurn(turn, 0, signal);
}

/**
 * A reconnecting client (it sends the last event id it saw) resumes the turn it was following;
 * otherwise a new turn starts.
 */
async function* answer(
  ctx: { user: { id: string }; services: { chat: ChatService } },
  input: { lastEventId?: string | null | undefined },
  signal: AbortSignal | undefined,
  start: () => Promise<Turn>,
) {
  if (!input.lastEventId) {
    yield* startOrRefuse(start, signal);
    return;
  }
  const resumed = ctx.services.chat.resume(input.lastEventId, ctx.user.id);
  if (!resumed) {
    yield tracked(`lost:${crypto.randomUUID()}`, lostStream);
    return;
  }
  yield* streamTurn(resumed.turn, resumed.fromSeq, signal);
}

const lostStream: ChatEvent = {
  type: "error",
  code: "STREAM_LOST",
  message: "This answer is no longer being streamed; reload the chat to see it.",
  messageId: null,
  creditsCharged: 0,
};

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
        .object({ ...pageSchema, search: z.string().trim().max(200).optional() })
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

  /** Sends a message and streams the answer (SSE). */
  send: protectedProcedure
    .input(
      z.object({
        sessionId: sessionIdSchema,
        content: contentSchema,
        modelId: modelIdSchema.optional(),
        lastEventId: z.string().max(100).nullish(),
      }),
    )
    .subscription(({ ctx, input, signal }) =>
      answer(ctx, input, signal, () =>
        ctx.services.chat.startTurn({
          userId: ctx.user.id,
          sessionId: input.sessionId,
          content: input.content,
          modelId: input.modelId,
        }),
      ),
    ),

  /** Ends the answer being written in the session (it is stored as incomplete and charged as produced). */
  stop: protectedProcedure
    .input(z.object({ sessionId: sessionIdSchema }))
    .mutation(({ ctx, input }) => ({ stopped: ctx.services.chat.stop(ctx.user.id, input.sessionId) })),

  /** The same stream with no stored session (still metered). */
  direct: protectedProcedure
    .input(
      z.object({
        content: contentSchema,
        modelId: modelIdSchema.optional(),
        lastEventId: z.string().max(100).nullish(),
      }),
    )
    .subscription(({ ctx, input, signal }) =>
      answer(ctx, input, signal, () =>
        ctx.services.chat.startTurn({
          userId: ctx.user.id,
          sessionId: null,
          content: input.content,
          modelId: input.modelId,
        }),
      ),
    ),
});
