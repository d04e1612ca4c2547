import type { UsageStats } from "../../lib/api-types.ts";

export interface UsageDay {
  /** YYYY-MM-DD (UTC), as the server groups usage. */
  day: string;
  /** A short label for the axis, e.g. "Mar 4". */
  label: string;
  credits: number;
  inputTokens: number;
  outputTokens: number;
  records: number;
}

const labelFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });

/** Every day of the period, days without usage at zero, so the chart's time axis is even. */
export function fillDays(stats: UsageStats): UsageDay[] {
  const byDay = new Map(stats.byDay.map((d) => [d.day, d]));
  const days: UsageDay[] = [];
  const cursor = new Date(
    Date.UTC(stats.from.getUTCFullYear(), stats.from.getUTCMonth(), stats.from.getUTCDate()),
  );
  const end = stats.to.getTime();
  while (cursor.getTime() <= end && days.length < 400) {
    const day = cursor.toISOString().slice(0, 10);
    const found = byDay.get(day);
    days.push({
      day,
      label: labelFormat.format(cursor),
      credits: found?.credits ?? 0,
      inputTokens: found?.inputTokens ?? 0,
      outputTokens: found?.outputTokens ?? 0,
      records: found?.records ?? 0,
    });
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return days;
}
