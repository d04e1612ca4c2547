import { metrics, recordSettlement } from "@parley/core";
import { type EntityManager, Reservation, type ReservationStatus, toDate, toNullableDate } from "@parley/db";
import { callLedger, toNullableNumber, toNumber } from "./ledger-functions.ts";

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

/** A `reservations` row as the ledger functions return it (bigints as strings). */
interface ReservationRow {
  id: string;
  user_id: string;
  model_id: string;
  estimated_input_tokens: number;
  estimated_output_tokens: number;
  input_price_per1k: number;
  output_price_per1k: number;
  held: string;
  status: ReservationStatus;
  created_at: Date | string;
  expires_at: Date | string;
  settled_at: Date | string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost: string | null;
  captured: string | null;
  shortfall: string | null;
  balance_after: string | null;
  success: boolean | null;
  usage_record_id: string | null;
}

/** What a settlement reads of parley_settle's row: no timestamps, no estimates. */
type SettlementRow = Pick<
  ReservationRow,
  | "id"
  | "status"
  | "held"
  | "input_tokens"
  | "output_tokens"
  | "cost"
  | "captured"
  | "shortfall"
  | "balance_after"
  | "usage_record_id"
>;
const SETTLEMENT_COLUMNS =
  "id, status, held, input_tokens, output_tokens, cost, captured, shortfall, balance_after, usage_record_id";

/**
 * Holds the estimated cost of a model call at the model's current price. The check of
 * `available` and the hold happen under the account's row lock, so concurrent initializations
 * can never hold more than the account has.
 */
export async function initializeReservation(
  em: EntityManager,
  input: InitializeInput,
): Promise<ReservationView> {
  const [row] = await callLedger<ReservationRow>(
    em,
    "parley_reserve",
    [
      input.userId,
      input.sessionId ?? crypto.randomUUID(),
      input.modelId,
      input.estimatedTokens.input,
      input.estimatedTokens.output,
      input.ttlSeconds,
    ],
    { account: input.userId },
  );
  const view = rowToView(required(row));
  metrics.credits.inc({ movement: "reserved" }, view.held);
  return view;
}

/** Captures the real cost of a finished call and releases the rest of the hold. Exactly once. */
export async function finalizeReservation(
  em: EntityManager,
  input: { userId: string; sessionId: string; actualTokens: TokenCounts; success?: boolean | undefined },
): Promise<SettlementResult> {
  const [row] = await callLedger<SettlementRow>(
    em,
    "parley_settle",
    [
      input.userId,
      input.sessionId,
      "finalized",
      input.actualTokens.input,
      input.actualTokens.output,
      input.success ?? true,
      false,
    ],
    { columns: SETTLEMENT_COLUMNS, account: input.userId },
  );
  return settled(required(row));
}

/**
 * Ends a call early (client gone, user pressed stop): captures the cost of the tokens generated so
 * far and releases the rest. The prompt was sent to the model, so it is charged too: at its
 * estimated size unless the caller knows the real one. Exactly once.
 */
export async function abortReservation(
  em: EntityManager,
  input: { userId: string; sessionId: string; tokensGenerated: number; inputTokens?: number | undefined },
): Promise<SettlementResult> {
  const [row] = await callLedger<SettlementRow>(
    em,
    "parley_settle",
    [
      input.userId,
      input.sessionId,
      "aborted",
      input.inputTokens ?? null,
      input.tokensGenerated,
      false,
      false,
    ],
    { columns: SETTLEMENT_COLUMNS, account: input.userId },
  );
  return settled(required(row));
}

/**
 * Releases reservations left open past their time-to-live (a client that never came back),
 * charging nothing. Safe with several server processes: each is settled under its account's lock
 * (and re-checked there), and accounts locked by someone else are left for the next sweep.
 */
export async function releaseExpiredReservations(root: EntityManager, limit = 100): Promise<number> {
  const em = root.fork();
  const due = await em.execute<{ id: string; user_id: string }[]>(
    "select id, user_id from reservations where status = 'open' and expires_at <= now() order by expires_at limit ?",
    [limit],
  );
  let released = 0;
  for (const { id, user_id } of due) {
    const [row] = await callLedger<Pick<ReservationRow, "id" | "held"> | { id: null; held: null }>(
      em,
      "parley_settle",
      // Not queued: the sweeper skips a locked account rather than wait for it.
      [user_id, id, "expired", 0, 0, false, true, "system"],
      { columns: "id, held" },
    );
    if (row?.id) {
      released += 1;
      metrics.sweeper.inc({ action: "reservation_released" });
      recordSettlement(0, Number(row.held));
    }
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
  return rows.map((r) =>
    rowToView({
      id: r.id,
      user_id: r.user.id,
      model_id: r.modelId,
      estimated_input_tokens: r.estimatedInputTokens,
      estimated_output_tokens: r.estimatedOutputTokens,
      input_price_per1k: r.inputPricePer1k,
      output_price_per1k: r.outputPricePer1k,
      held: String(r.held),
      status: r.status,
      created_at: r.createdAt,
      expires_at: r.expiresAt,
      settled_at: r.settledAt ?? null,
      input_tokens: r.inputTokens ?? null,
      output_tokens: r.outputTokens ?? null,
      cost: r.cost === null || r.cost === undefined ? null : String(r.cost),
      captured: r.captured === null || r.captured === undefined ? null : String(r.captured),
      shortfall: r.shortfall === null || r.shortfall === undefined ? null : String(r.shortfall),
      balance_after: r.balanceAfter === null || r.balanceAfter === undefined ? null : String(r.balanceAfter),
      success: r.success ?? null,
      usage_record_id: r.usageRecordId ?? null,
    }),
  );
}

function required<T>(row: T | undefined): T {
  if (!row) throw new Error("ledger function returned no row");
  return row;
}

function rowToView(r: ReservationRow): ReservationView {
  const settled = r.status !== "open";
  return {
    sessionId: r.id,
    userId: r.user_id,
    modelId: r.model_id,
    status: r.status,
    held: toNumber(r.held),
    estimatedTokens: { input: r.estimated_input_tokens, output: r.estimated_output_tokens },
    price: { inputPer1k: r.input_price_per1k, outputPer1k: r.output_price_per1k },
    createdAt: toDate(r.created_at),
    expiresAt: toDate(r.expires_at),
    settledAt: toNullableDate(r.settled_at),
    tokens: settled ? { input: r.input_tokens ?? 0, output: r.output_tokens ?? 0 } : null,
    cost: toNullableNumber(r.cost),
    creditsCharged: toNullableNumber(r.captured),
    shortfall: toNullableNumber(r.shortfall),
    balanceAfter: toNullableNumber(r.balance_after),
  };
}

/** A settlement's result, its credits counted in the metrics. */
function settled(row: SettlementRow): SettlementResult {
  const result = rowToSettlement(row);
  recordSettlement(result.creditsCharged, result.released);
  return result;
}

function rowToSettlement(r: SettlementRow): SettlementResult {
  const held = toNumber(r.held);
  const captured = toNumber(r.captured);
  return {
    sessionId: r.id,
    status: r.status as SettlementResult["status"],
    tokens: { input: r.input_tokens ?? 0, output: r.output_tokens ?? 0 },
    cost: toNumber(r.cost),
    creditsCharged: captured,
    shortfall: toNumber(r.shortfall),
    released: held - Math.min(held, captured),
    balanceAfter: toNumber(r.balance_after),
    usageRecordId: r.usage_record_id ?? "",
  };
}
