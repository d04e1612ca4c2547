import { t } from "@lingui/core/macro";
import { MAX_PERIOD_DAYS } from "@parley/validators";
import { formatLongDay } from "./format.ts";

/**
 * The reporting period of the usage screens, in whole UTC days (the API groups usage by UTC day).
 * A preset covers the last N days including today; a custom period runs from one day to another,
 * both included.
 */
export const PERIOD_PRESETS = [7, 30, 90] as const;
export type PresetDays = (typeof PERIOD_PRESETS)[number];

export type Period = { kind: "preset"; days: PresetDays } | { kind: "custom"; from: string; to: string };

const DAY_MS = 24 * 60 * 60 * 1000;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export const DEFAULT_PERIOD: Period = { kind: "preset", days: 30 };

/** "YYYY-MM-DD" of a moment's UTC day. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function dayStart(day: string): Date | null {
  if (!DAY_PATTERN.test(day)) return null;
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || utcDay(date) !== day ? null : date;
}

/** The half-open range [from, to) the API is asked about, and every UTC day in it. */
export function periodRange(
  period: Period,
  now: Date = new Date(),
): { from: Date; to: Date; days: string[] } {
  let from: Date;
  let to: Date;
  if (period.kind === "preset") {
    const today = dayStart(utcDay(now)) ?? now;
    to = new Date(today.getTime() + DAY_MS);
    from = new Date(to.getTime() - period.days * DAY_MS);
  } else {
    from = dayStart(period.from) ?? now;
    to = new Date((dayStart(period.to) ?? now).getTime() + DAY_MS);
  }
  const days: string[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += DAY_MS) days.push(utcDay(new Date(t)));
  return { from, to, days };
}

/** Why a custom period cannot be used, or null when it can. */
export function customPeriodProblem(from: string, to: string): string | null {
  const start = dayStart(from);
  const end = dayStart(to);
  if (!start) return t`Choose a start date.`;
  if (!end) return t`Choose an end date.`;
  if (start > end) return t`The start date must be on or before the end date.`;
  if ((end.getTime() - start.getTime()) / DAY_MS + 1 > MAX_PERIOD_DAYS) {
    return t`A period can be at most ${MAX_PERIOD_DAYS} days long.`;
  }
  return null;
}

export function periodFromParams(params: URLSearchParams): Period {
  const from = params.get("from");
  const to = params.get("to");
  if (from && to && customPeriodProblem(from, to) === null) return { kind: "custom", from, to };
  const days = Number(params.get("days"));
  const preset = PERIOD_PRESETS.find((d) => d === days);
  return preset ? { kind: "preset", days: preset } : DEFAULT_PERIOD;
}

export function periodToParams(period: Period): Record<string, string> {
  return period.kind === "preset" ? { days: String(period.days) } : { from: period.from, to: period.to };
}

export function periodLabel(period: Period): string {
  if (period.kind === "preset") {
    const days = period.days;
    return t`last ${days} days`;
  }
  const from = formatLongDay(period.from);
  const to = formatLongDay(period.to);
  return t`${from} to ${to}`;
}

/** A file-name-safe tag for CSV downloads, e.g. "2026-10-24_2026-11-22". */
export function periodTag(period: Period, now: Date = new Date()): string {
  const { days } = periodRange(period, now);
  return `${days[0] ?? ""}_${days[days.length - 1] ?? ""}`;
}

/** One UTC day of usage, as both usage APIs (a user's own and the admin's) report it. */
export interface UsageDayRow {
  day: string;
  credits: number;
  inputTokens: number;
  outputTokens: number;
  records: number;
}

/** Every day of the period, the days the API had no rows for at zero, so a chart's time axis has no gaps. */
export function fillUsageDays(days: readonly string[], rows: readonly UsageDayRow[]): UsageDayRow[] {
  const byDay = new Map(rows.map((row) => [row.day, row]));
  return days.map(
    (day) => byDay.get(day) ?? { day, credits: 0, inputTokens: 0, outputTokens: 0, records: 0 },
  );
}
