import {
  abortReservation,
  checkCredits,
  creditsFor,
  finalizeReservation,
  getBalance,
  groupedLedgerHistory,
  initializeReservation,
  ledgerHistory,
  listGrants,
  listModels,
  listReservations,
  priceOf,
  recordUsage,
  usageStats,
} from "@parley/accounting";
import { LEDGER_ENTRY_TYPES } from "@parley/db";
import { MAX_CREDITS } from "@parley/validators";
import { z } from "zod";
import {
  creditsSchema,
  dateSchema,
  metadataSchema,
  modelIdSchema,
  pageSchema,
  safeString,
  tokenCountSchema,
} from "../schemas.ts";
import { protectedProcedure, router } from "../trpc.ts";

const tokensSchema = z.object({ input: tokenCountSchema, output: tokenCountSchema });
const serviceNameSchema = safeString()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\w.:-]+$/, "Use letters, digits, '.', ':', '_' and '-'.");

/** The signed-in user's own credits, usage and streaming sessions. */
export const accountingRouter = router({
  balance: protectedProcedure.query(({ ctx }) => getBalance(ctx.em, ctx.user.id)),

  check: protectedProcedure
    .input(z.object({ requiredCredits: z.number().int().min(0).max(MAX_CREDITS) }))
    .query(({ ctx, input }) => checkCredits(ctx.em, ctx.user.id, input.requiredCredits)),

  calculate: protectedProcedure
    .input(
      z.object({ modelId: modelIdSchema, inputTokens: tokenCountSchema, outputTokens: tokenCountSchema }),
    )
    .query(async ({ ctx, input }) => {
      const price = await priceOf(ctx.em, input.modelId);
      return { credits: creditsFor(price, { input: input.inputTokens, output: input.outputTokens }) };
    }),

  history: protectedProcedure
    .input(z.object({ ...pageSchema, type: z.enum(LEDGER_ENTRY_TYPES).optional() }))
    .query(({ ctx, input }) => ledgerHistory(ctx.em, { userId: ctx.user.id, ...input })),

  /** The ledger with each answer's hold, charge and release as one row (the entries inside it). */
  groupedHistory: protectedProcedure
    .input(z.object({ ...pageSchema, type: z.enum(LEDGER_ENTRY_TYPES).optional() }))
    .query(({ ctx, input }) => groupedLedgerHistory(ctx.em, { userId: ctx.user.id, ...input })),

  grants: protectedProcedure.query(({ ctx }) => listGrants(ctx.em, ctx.user.id)),

  models: protectedProcedure.query(({ ctx }) => listModels(ctx.em)),

  streaming: router({
    initialize: protectedProcedure
      .input(
        z.object({ sessionId: z.uuid().optional(), modelId: modelIdSchema, estimatedTokens: tokensSchema }),
      )
      .mutation(({ ctx, input }) =>
        initializeReservation(ctx.em, {
          userId: ctx.user.id,
          ...input,
          ttlSeconds: ctx.services.accounting.reservationTtlSeconds,
        }),
      ),

    finalize: protectedProcedure
      .input(z.object({ sessionId: z.uuid(), actualTokens: tokensSchema, success: z.boolean().optional() }))
      .mutation(({ ctx, input }) => finalizeReservation(ctx.em, { userId: ctx.user.id, ...input })),

    abort: protectedProcedure
      .input(
        z.object({
          sessionId: z.uuid(),
          tokensGenerated: tokenCountSchema,
          inputTokens: tokenCountSchema.optional(),
        }),
      )
      .mutation(({ ctx, input }) => abortReservation(ctx.em, { userId: ctx.user.id, ...input })),

    active: protectedProcedure.query(({ ctx }) =>
      listReservations(ctx.em, { userId: ctx.user.id, status: "open", limit: 100 }),
    ),
  }),

  usage: router({
    record: protectedProcedure
      .input(
        z.object({
          service: serviceNameSchema,
          operation: serviceNameSchema,
          credits: creditsSchema,
          modelId: modelIdSchema.optional(),
          inputTokens: tokenCountSchema.optional(),
          outputTokens: tokenCountSchema.optional(),
          metadata: metadataSchema.optional(),
        }),
      )
      .mutation(({ ctx, input }) => recordUsage(ctx.em, { userId: ctx.user.id, ...input })),

    stats: protectedProcedure
      .input(z.object({ from: dateSchema.optional(), to: dateSchema.optional() }).default({}))
      .query(({ ctx, input }) => usageStats(ctx.em, { userId: ctx.user.id, ...input })),
  }),
});
