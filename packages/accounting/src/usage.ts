import { DomainError } from "@parley/core";
import type { EntityManager } from "@parley/db";
import { MAX_PERIOD_DAYS } from "@parley/validators";
import { callLedger } from "./ledger-functions.ts";

export interface RecordUsageInput {
  userId: string;
  service: string;
  operation: string;
  credits: number;
  modelId?: string | undefined;
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  metadata?: Record<string, unknown> | undefined;
}

/**
 * Charges a one-off use (no reservation): the credits are captured from what is available, or
 * the call is refused with PAYMENT_REQUIRED and nothing moves.
 */
export async function recordUsage(
  em: EntityManager,
  input: RecordUsageInput,
): Promise<{ usageRecordId: string; creditsCharged: number; balanceAfter: number }> {
  const [row] = await callLedger<{ o_usage_record_id: string; o_balance: string }>(
    em,
    "parley_record_usage",
    [
      input.userId,
      input.service,
      input.operation,
      input.credits,
      input.modelId ?? null,
      input.inputTokens ?? 0,
      input.outputTokens ?? 0,
      input.metadata ? JSON.stringify(input.metadata) : null,
    ],
    { account: input.userId },
  );
  return {
    usageRecordId: row?.o_usage_record_id ?? "",
    creditsCharged: input.credits,
    balanceAfter: Number(row?.o_balance),
  };
}

export interface UsageTotals {
  credits: number;
  inputTokens: number;
  outputTokens: number;
  records: number;
}

export interface UsageStats {
  from: Date;
  to: Date;
  totals: UsageTotals;
  byModel: (UsageTotals & { modelId: string | null })[];
  byDay: (UsageTotals & { day: string })[];
}

export interface SystemUsageStats extends UsageStats {
  topUsers: (UsageTotals & { userId: string; email: string; displayName: string })[];
}

const MAX_RANGE_MS = MAX_PERIOD_DAYS * 24 * 60 * 60 * 1000;

/** Defaults to the last 30 days; refuses inverted or over-long ranges. */
export function usageRange(from?: Date, to?: Date): { from: Date; to: Date } {
  const end = to ?? new Date();
  const start = from ?? new Date(end.getTime() - 30 * 24 * 60 * 60 * 1000);
  if (start > end) throw new DomainError("BAD_REQUEST", "`from` must be before `to`.", { field: "from" });
  if (end.getTime() - start.getTime() > MAX_RANGE_MS) {
    throw new DomainError("BAD_REQUEST", `The period can be at most ${MAX_PERIOD_DAYS} days.`, {
      field: "from",
    });
  }
  return { from: start, to: end };
}

type TotalsRow = {
  credits: string | null;
  input_tokens: string | null;
  output_tokens: string | null;
  records: string;
};
const totals = (row: TotalsRow | undefined): UsageTotals => ({
  credits: Number(row?.credits ?? 0),
  inputTokens: Number(row?.input_tokens ?? 0),
  outputTokens: Number(row?.output_tokens ?? 0),
  records: Number(row?.records ?? 0),
});
const SUMS =
  "sum(credits) as credits, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens, count(*) as records";

/** Usage of one user, or of everyone when `userId` is omitted, in [from, to). Days are UTC. */
export async function usageStats(
  em: EntityManager,
  filter: { userId?: string | undefined; from?: Date | undefined; to?: Date | undefined },
): Promise<UsageStats> {
  const { from, to } = usageRange(filter.from, filter.to);
  const where = `created_at >= ? and created_at < ?${filter.userId ? " and user_id = ?" : ""}`;
  const params = filter.userId ? [from, to, filter.userId] : [from, to];
  const [all] = await em.execute<TotalsRow[]>(`select ${SUMS} from usage_records where ${where}`, params);
  const byModel = await em.execute<(TotalsRow & { model_id: string | null })[]>(
    `select model_id, ${SUMS} from usage_records where ${where} group by model_id order by sum(credits) desc`,
    params,
  );
  const byDay = await em.execute<(TotalsRow & { day: string })[]>(
    `select to_char(date_trunc('day', created_at at time zone 'UTC'), 'YYYY-MM-DD') as day, ${SUMS}
       from usage_records where ${where} group by 1 order by 1`,
    params,
  );
  return {
    from,
    to,
    totals: totals(all),
    byModel: byModel.map((row) => ({ modelId: row.model_id, ...totals(row) })),
    byDay: byDay.map((row) => ({ day: row.day, ...totals(row) })),
  };
}

export async function systemUsageStats(
  em: EntityManager,
  filter: { from?: Date | undefined; to?: Date | undefined; topUsers?: number | undefined },
): Promise<SystemUsageStats> {
  const stats = await usageStats(em, filter);
  const top = await em.execute<(TotalsRow & { user_id: string; email: string; display_name: string })[]>(
    `select u.id as user_id, u.email, u.display_name, r.credits, r.input_tokens, r.output_tokens, r.records
       from (select user_id, ${SUMS} from usage_records
              where created_at >= ? and created_at < ? group by user_id order by sum(credits) desc limit ?) r
       join users u on u.id = r.user_id
      order by r.credits desc`,
    [stats.from, stats.to, filter.topUsers ?? 10],
  );
  return {
    ...stats,
    topUsers: top.map((row) => ({
      userId: row.user_id,
      email: row.email,
      displayName: row.display_name,
      ...totals(row),
    })),
  };
}
