import { DomainError } from "@parley/core";
import { type EntityManager, Reservation, type ReservationStatus, UsageRecord } from "@parley/db";
import { consumeGrants } from "./grants.ts";
import { type LockedAccount, lockAccount, withLockedAccount } from "./locked-account.ts";
import { creditsFor, priceOf } from "./pricing.ts";

export interface TokenCounts {
  input: number;
  output: number;
}

export interface ReservationView {
  sessionId: string;
  userId: string;
  modelId: string;
  status: ReservationStatus;
  held: number;
  estimatedTokens: TokenCounts;
  price: { inputPer1k: number; outputPer1k: number };
  createdAt: Date;
  expiresAt: Date;
  settledAt: Date | null;
  /** Set once settled: */
  tokens: TokenCounts | null;
  cost: number | null;
  creditsCharged: number | null;
  shortfall: number | null;
  balanceAfter: number | null;
}

export interface SettlementResult {
  sessionId: string;
  status: "finalized" | "aborted" | "expired";
  tokens: TokenCounts;
  /** What the tokens cost at the reservation's price. */
  cost: number;
  /** What was taken from the account: the cost, or less when it could not be covered. */
  creditsCharged: number;
  /** The part of the cost the account could not cover, recorded but never charged into the negative. */
  shortfall: number;
  /** Held credits given back. */
  released: number;
  balanceAfter: number;
  usageRecordId: string;
}

export interface InitializeInput {
  userId: string;
  /** Optional idempotency key (a UUID): initializing the same id twice holds credits once. */
  sessionId?: string | undefined;
  modelId: string;
  /** Prompt tokens and the requested maximum output. */
  estimatedTokens: TokenCounts;
  ttlSeconds: number;
}

/**
 * Holds the estimated cost of a model call. The check of `available` and the hold happen under the
 * account's row lock, so concurrent initializations can never hold more than the account has.
 */
export async function initializeReservation(
  em: EntityManager,
  input: InitializeInput,
): Promise<ReservationView> {
  const sessionId = input.sessionId ?? crypto.randomUUID();
  if (input.sessionId) {
    const existing = await em.fork().findOne(Reservation, { id: input.sessionId });
    if (existing) {
      if (existing.user.id !== input.userId) {
        throw new DomainError("CONFLICT", "That session id is already in use.", { field: "sessionId" });
      }
      return toView(existing);
    }
  }
  const price = await priceOf(em, input.modelId);
  const hold = creditsFor(price, input.estimatedTokens);

  return lockAccount(em, input.userId, async (account) => {
    if (hold > account.available) {
      throw new DomainError(
        "PAYMENT_REQUIRED",
        `Not enough credits: this request needs up to ${hold}, and ${account.available} are available.`,
        { available: account.available, required: hold },
      );
    }
    const now = new Date();
    const reservation = {
      id: sessionId,
      user: account.userId,
      modelId: price.modelId,
      estimatedInputTokens: input.estimatedTokens.input,
      estimatedOutputTokens: input.estimatedTokens.output,
      inputPricePer1k: price.inputPer1k,
      outputPricePer1k: price.outputPer1k,
      held: hold,
      status: "open" as const,
      createdAt: now,
      expiresAt: new Date(now.getTime() + input.ttlSeconds * 1000),
    };
    await account.tx.insert(Reservation, reservation);
    account.record({
      type: "reserve",
      amount: 0,
      heldDelta: hold,
      actorId: account.userId,
      reservationId: sessionId,
    });
    return {
      sessionId,
      userId: account.userId,
      modelId: price.modelId,
      status: "open",
      held: hold,
      estimatedTokens: input.estimatedTokens,
      price: { inputPer1k: price.inputPer1k, outputPer1k: price.outputPer1k },
      createdAt: now,
      expiresAt: reservation.expiresAt,
      settledAt: null,
      tokens: null,
      cost: null,
      creditsCharged: null,
      shortfall: null,
      balanceAfter: null,
    };
  });
}

/** Captures the real cost of a finished call and releases the rest of the hold. Exactly once. */
export function finalizeReservation(
  em: EntityManager,
  input: { userId: string; sessionId: string; actualTokens: TokenCounts; success?: boolean | undefined },
): Promise<SettlementResult> {
  return settle(em, input.userId, input.sessionId, "finalized", () => ({
    tokens: input.actualTokens,
    success: input.success ?? true,
  }));
}

/**
 * Ends a call early (client gone, user pressed stop): captures the cost of the tokens generated so
 * far and releases the rest. The prompt was sent to the model, so it is charged too: at its
 * estimated size unless the caller knows the real one. Exactly once.
 */
export function abortReservation(
  em: EntityManager,
  input: { userId: string; sessionId: string; tokensGenerated: number; inputTokens?: number | undefined },
): Promise<SettlementResult> {
  return settle(em, input.userId, input.sessionId, "aborted", (reservation) => ({
    tokens: { input: input.inputTokens ?? reservation.estimatedInputTokens, output: input.tokensGenerated },
    success: false,
  }));
}

type Outcome = (reservation: Reservation) => { tokens: TokenCounts; success: boolean };

async function settle(
  em: EntityManager,
  userId: string,
  sessionId: string,
  status: "finalized" | "aborted",
  outcome: Outcome,
): Promise<SettlementResult> {
  const owner = await em.fork().findOne(Reservation, { id: sessionId }, { fields: ["user"] });
  if (!owner || owner.user.id !== userId) throw new DomainError("NOT_FOUND", "No such streaming session.");

  return lockAccount(em, userId, async (account) => {
    // Re-read under the lock: a concurrent settle of the same reservation has finished by now.
    const reservation = await account.tx.findOneOrFail(Reservation, { id: sessionId }, { refresh: true });
    if (reservation.status === status) return storedResult(reservation, status);
    if (reservation.status !== "open") {
      throw new DomainError("CONFLICT", `This streaming session was already ${reservation.status}.`, {
        status: reservation.status,
      });
    }
    return settleOpen(account, reservation, status, outcome(reservation));
  });
}

/**
 * Settles an open reservation on a locked account: the cost is captured from the hold and then,
 * if it exceeds the hold, from what is available, never from other reservations' holds and never
 * below zero; what cannot be covered is recorded as shortfall.
 */
async function settleOpen(
  account: LockedAccount,
  reservation: Reservation,
  status: "finalized" | "aborted" | "expired",
  outcome: { tokens: TokenCounts; success: boolean },
): Promise<SettlementResult> {
  const price = { inputPer1k: reservation.inputPricePer1k, outputPer1k: reservation.outputPricePer1k };
  const cost = creditsFor(price, outcome.tokens);
  const hold = reservation.held;
  const heldByOthers = account.held - hold;
  const capturable = Math.max(0, account.balance - heldByOthers);
  const captured = Math.min(cost, capturable);
  const shortfall = cost - captured;
  const heldUsed = Math.min(hold, captured);
  const released = hold - heldUsed;
  const usageRecordId = crypto.randomUUID();

  await consumeGrants(account, captured);
  const common = {
    actorId: status === "expired" ? null : account.userId,
    reservationId: reservation.id,
    usageRecordId,
  };
  if (captured > 0 || heldUsed > 0)
    account.record({ type: "capture", amount: -captured, heldDelta: -heldUsed, ...common });
  if (released > 0) account.record({ type: "release", amount: 0, heldDelta: -released, ...common });
  const entries = await account.save();

  const now = new Date();
  await account.tx.insert(UsageRecord, {
    id: usageRecordId,
    user: account.userId,
    service: "llm",
    operation: status === "finalized" ? "stream" : `stream_${status}`,
    modelId: reservation.modelId,
    inputTokens: outcome.tokens.input,
    outputTokens: outcome.tokens.output,
    credits: captured,
    shortfall,
    reservationId: reservation.id,
    ledgerEntryId: entries[0]?.id ?? null,
    metadata: { status, success: outcome.success, held: hold },
    createdAt: now,
  });
  await account.tx.nativeUpdate(
    Reservation,
    { id: reservation.id },
    {
      status,
      settledAt: now,
      inputTokens: outcome.tokens.input,
      outputTokens: outcome.tokens.output,
      cost,
      captured,
      shortfall,
      balanceAfter: account.balance,
      success: outcome.success,
      usageRecordId,
    },
  );
  return {
    sessionId: reservation.id,
    status,
    tokens: outcome.tokens,
    cost,
    creditsCharged: captured,
    shortfall,
    released,
    balanceAfter: account.balance,
    usageRecordId,
  };
}

function storedResult(reservation: Reservation, status: SettlementResult["status"]): SettlementResult {
  const captured = reservation.captured ?? 0;
  return {
    sessionId: reservation.id,
    status,
    tokens: { input: reservation.inputTokens ?? 0, output: reservation.outputTokens ?? 0 },
    cost: reservation.cost ?? 0,
    creditsCharged: captured,
    shortfall: reservation.shortfall ?? 0,
    released: reservation.held - Math.min(reservation.held, captured),
    balanceAfter: reservation.balanceAfter ?? 0,
    usageRecordId: reservation.usageRecordId ?? "",
  };
}

/**
 * Releases reservations left open past their time-to-live (a client that never came back),
 * charging nothing. Safe with several server processes: each reservation is re-checked under its
 * account's lock, and accounts locked by someone else are skipped until the next sweep.
 */
export async function releaseExpiredReservations(em: EntityManager, limit = 100): Promise<number> {
  const due = await em
    .fork()
    .find(
      Reservation,
      { status: "open", expiresAt: { $lt: new Date() } },
      { fields: ["id", "user"], limit, orderBy: { expiresAt: "asc" } },
    );
  let released = 0;
  for (const { id, user } of due) {
    const done = await withLockedAccount(
      em,
      user.id,
      async (account) => {
        const reservation = await account.tx.findOneOrFail(Reservation, { id }, { refresh: true });
        if (reservation.status !== "open" || reservation.expiresAt >= new Date()) return false;
        await settleOpen(account, reservation, "expired", {
          tokens: { input: 0, output: 0 },
          success: false,
        });
        return true;
      },
      { skipLocked: true },
    );
    if (done) released += 1;
  }
  return released;
}

export async function listReservations(
  em: EntityManager,
  filter: { userId?: string | undefined; status?: "open" | undefined; limit: number },
): Promise<ReservationView[]> {
  const rows = await em.find(
    Reservation,
    {
      ...(filter.userId ? { user: filter.userId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
    },
    { orderBy: { createdAt: "desc", id: "asc" }, limit: filter.limit },
  );
  return rows.map(toView);
}

function toView(r: Reservation): ReservationView {
  const settled = r.status !== "open";
  return {
    sessionId: r.id,
    userId: r.user.id,
    modelId: r.modelId,
    status: r.status,
    held: r.held,
    estimatedTokens: { input: r.estimatedInputTokens, output: r.estimatedOutputTokens },
    price: { inputPer1k: r.inputPricePer1k, outputPer1k: r.outputPricePer1k },
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    settledAt: r.settledAt ?? null,
    tokens: settled ? { input: r.inputTokens ?? 0, output: r.outputTokens ?? 0 } : null,
    cost: r.cost ?? null,
    creditsCharged: r.captured ?? null,
    shortfall: r.shortfall ?? null,
    balanceAfter: r.balanceAfter ?? null,
  };
}
