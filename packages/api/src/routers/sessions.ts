import {
  CHAT_SETTING_LIMITS,
  createSession,
  DEFAULT_TITLE,
  deleteSession,
  getSession,
  listSessions,
  renameSession,
  switchBranch,
  titleFrom,
  updateSession,
} from "@parley/agent";
import { MAX_MESSAGE_LENGTH, MAX_SESSION_TITLE_LENGTH } from "@parley/validators";
import { tracked } from "@trpc/server";
import { z } from "zod";
import type { Context } from "../context.ts";
import { modelIdSchema, pageSchema, safeString } from "../schemas.ts";
import { protectedProcedure, router } from "../trpc.ts";
import { sessionSocialProcedures } from "./sessions-social.ts";

const sessionIdSchema = z.uuid();
const turnIdSchema = z.uuid();
const messageIdSchema = z.uuid();
const titleSchema = safeString().trim().max(MAX_SESSION_TITLE_LENGTH);
/** The hard cap on a message; the configurable limit (CHAT_MAX_MESSAGE_CHARS) is checked below it. */
const contentSchema = safeString().max(MAX_MESSAGE_LENGTH);
/** A stream position as sent back by a resuming client: the sequence number of its last event. */
const lastEventIdSchema = z
  .string()
  .regex(/^\d{1,9}$/, "lastEventId must be the id of an event of this stream.")
  .nullish();

/**
 * A chat's (or a preset's) settings; null clears one. The bounds are checked again, with the
 * models' maximum answer length, by the domain (checkChatSettings): both give BAD_REQUEST.
 */
export const chatSettingsShape = {
  systemPrompt: safeString()
    .max(
      CHAT_SETTING_LIMITS.systemPromptChars,
      `The instructions are longer than ${CHAT_SETTING_LIMITS.systemPromptChars} characters.`,
    )
    .nullish(),
  temperature: z
    .number()
    .min(CHAT_SETTING_LIMITS.temperature.min, "The temperature must be between 0 and 1.")
    .max(CHAT_SETTING_LIMITS.temperature.max, "The temperature must be between 0 and 1.")
    .nullish(),
  maxTokens: z
    .number()
    .int("The maximum answer length is a whole number of tokens.")
    .min(CHAT_SETTING_LIMITS.maxTokens.min, "The maximum answer length is at least 1 token.")
    .nullish(),
};

/** A procedure's context once `protectedProcedure` has found the user. */
type UserContext = Context & { user: NonNullable<Context["user"]> };

/** What `send` (and `sendAndStream`) take. */
const sendInput = z.object({
  sessionId: sessionIdSchema.optional(),
  content: contentSchema,
  modelId: modelIdSchema.optional(),
  clientRequestId: z.uuid().optional(),
  /** Uploads from `POST /api/attachments` (at most ATTACHMENTS_MAX_PER_MESSAGE, checked below). */
  attachmentIds: z.array(z.uuid()).max(100).optional(),
  /** Without sessionId only: the new chat's settings (e.g. a preset's), used from its first answer. */
  settings: z.object(chatSettingsShape).optional(),
});

function startSend(ctx: UserContext, input: z.infer<typeof sendInput>, followedHere = false) {
  const { sessionId, settings, ...rest } = input;
  return ctx.services.chat.send({
    userId: ctx.user.id,
    sessionId: sessionId ?? null,
    newSession: sessionId === undefined,
    followedHere,
    ...rest,
    ...(settings ? { settings } : {}),
  });
}

/** A turn's events from after `lastEventId`, each tracked with its sequence number. */
async function followTurn(
  ctx: UserContext,
  turnId: string,
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
) {
  // Checked before the stream opens, so a refusal is an ordinary typed error.
  const events = await ctx.services.chat.openStream(
    ctx.user.id,
    turnId,
    lastEventId ? Number(lastEventId) : 0,
    signal ?? new AbortController().signal,
  );
  return (async function* () {
    for await (const { seq, event } of events) yield tracked(String(seq), event);
  })();
}

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
        .object({ ...pageSchema, search: safeString().trim().max(MAX_SESSION_TITLE_LENGTH).optional() })
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

  /** The chat's title and settings (system prompt, temperature, maximum answer length): what is given changes. */
  update: protectedProcedure
    .input(z.object({ sessionId: sessionIdSchema, title: titleSchema.optional(), ...chatSettingsShape }))
    .mutation(({ ctx, input }) =>
      updateSession(ctx.em, {
        ...input,
        userId: ctx.user.id,
        maxAnswerTokens: ctx.services.chat.maxAnswerTokens,
      }),
    ),

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
      accepts: m.accepts,
    })),
    maxMessageChars: ctx.services.chat.maxMessageChars,
    attachments: {
      maxBytes: ctx.services.chat.attachments.settings.maxBytes,
      maxPerMessage: ctx.services.chat.attachments.settings.maxPerMessage,
    },
    /** Bounds of a chat's settings (maxTokens: up to the longest answer of the models). */
    settingsLimits: {
      systemPromptChars: CHAT_SETTING_LIMITS.systemPromptChars,
      temperature: CHAT_SETTING_LIMITS.temperature,
      maxTokens: { min: CHAT_SETTING_LIMITS.maxTokens.min, max: ctx.services.chat.maxAnswerTokens },
    },
    demo: ctx.services.chat.demo,
    /**
     * The fewest output tokens an answer starts with: a balance that cannot hold the full output
     * gets a shorter answer down to this; below it a send is refused (the composer warns first).
     */
    minAnswerTokens: ctx.services.chat.minAnswerTokens(),
  })),

  /**
   * Stores the message at the end of the chat's active branch, holds the credits and starts the
   * answer; follow it with `stream`. Retrying with the same `clientRequestId` returns the same turn
   * (one message, one charge). Without `sessionId` the message starts a new chat, created only
   * when the message is accepted (its id is returned).
   */
  send: protectedProcedure.input(sendInput).mutation(async ({ ctx, input }) => {
    const started = await startSend(ctx, input);
    return { turnId: started.turnId, userMessageId: started.userMessageId, sessionId: started.sessionId };
  }),

  /**
   * `send` and `stream` in one exchange: the answer's events (the first, `started`, carries the
   * turn, message and chat ids) in the response to the message — one round trip fewer before the
   * first token. Clients POST the input as the body (`@parley/client` does; a message is too long
   * for a URL). `clientRequestId` is required: a dropped connection is resumed by sending the same
   * request again with the last event's id, which finds the same turn (one message, one charge)
   * and goes on after that event, on whichever process it reaches.
   */
  sendAndStream: protectedProcedure
    .input(sendInput.extend({ clientRequestId: z.uuid(), lastEventId: lastEventIdSchema }))
    .subscription(async ({ ctx, input, signal }) => {
      const { lastEventId, ...send } = input;
      const { turnId } = await startSend(ctx, send, true);
      return followTurn(ctx, turnId, lastEventId, signal);
    }),

  /**
   * A new version of one of the user's messages: stored beside it (same parent) and answered on a
   * new branch, which becomes the chat's active one; follow the answer with `stream`.
   */
  edit: protectedProcedure
    .input(
      z.object({
        messageId: messageIdSchema,
        content: contentSchema,
        modelId: modelIdSchema.optional(),
        clientRequestId: z.uuid().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { turnId } = await ctx.services.chat.edit({ userId: ctx.user.id, ...input });
      return { turnId };
    }),

  /**
   * Answers the question again: for an answer, a new version beside it (metered on its own); for a
   * question left without an answer, its answer. Follow it with `stream`.
   */
  regenerate: protectedProcedure
    .input(
      z.object({
        messageId: messageIdSchema,
        modelId: modelIdSchema.optional(),
        clientRequestId: z.uuid().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { turnId } = await ctx.services.chat.regenerate({ userId: ctx.user.id, ...input });
      return { turnId };
    }),

  /**
   * Shows another version: the branch through `messageId` (down to its newest reply) becomes the
   * chat's active branch — what `get` returns and the model reads next. Persisted per chat.
   */
  switchBranch: protectedProcedure
    .input(z.object({ messageId: messageIdSchema }))
    .mutation(({ ctx, input }) => switchBranch(ctx.em, ctx.user.id, input.messageId)),

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
    .subscription(({ ctx, input, signal }) => followTurn(ctx, input.turnId, input.lastEventId, signal)),

  /** Ends a running answer (stored as incomplete, charged as produced), whichever process runs it. */
  stop: protectedProcedure
    .input(z.object({ turnId: turnIdSchema }))
    .mutation(({ ctx, input }) => ctx.services.chat.stop(ctx.user.id, input.turnId)),

  /** The user's answers being written right now, to re-attach to after a reload or in another tab. */
  active: protectedProcedure.query(({ ctx }) => ctx.services.chat.active(ctx.user.id)),

  ...sessionSocialProcedures,
});
