import { i18n } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { useLingui } from "@lingui/react/macro";
import { ArrowDownToLine, ArrowUpFromLine, Coins, Hash } from "lucide-react";
import { Link } from "react-router";
import { creditsToDollars, formatDay, formatLongDay, formatNumber, formatUsd } from "../../lib/format.ts";
import { fillUsageDays, type Period, periodRange, periodTag, type UsageDayRow } from "../../lib/period.ts";
import type { SystemUsageStats, UsageStats, UsageTotals as UsageTotalsRow } from "../admin/types.ts";
import { ChartCard } from "../ui/ChartCard.tsx";
import { CHART_COLORS } from "../ui/chart-colors.ts";
import type { UsageBarChartProps } from "../ui/charts.tsx";
import { type Column, DataTable } from "../ui/DataTable.tsx";
import { StatCard } from "../ui/states.tsx";

type ModelRow = UsageStats["byModel"][number];
type TopUserRow = SystemUsageStats["topUsers"][number];

interface UsageReportProps {
  stats: UsageStats | SystemUsageStats;
  period: Period;
  /** Model ids to display names (from the price list). */
  modelNames: ReadonlyMap<string, string>;
  /** Starts every CSV file name, e.g. "parley-usage". */
  filePrefix: string;
}

/** Totals and charts of one period's usage: per day, per model and (system-wide) per user. */
export function UsageReport({ stats, period, modelNames, filePrefix }: UsageReportProps) {
  const { t } = useLingui();
  const unattributed = t`Not tied to a model`;
  const { days } = periodRange(period);
  const tag = periodTag(period);
  const byDay = fillUsageDays(days, stats.byDay);
  const modelName = (row: ModelRow) =>
    row.modelId ? (modelNames.get(row.modelId) ?? row.modelId) : unattributed;
  const noUsage = stats.totals.records === 0;
  const topUsers = "topUsers" in stats ? stats.topUsers : null;

  const modelColumns: Column<ModelRow>[] = [
    { header: t`Model`, cell: modelName },
    { header: t`Credits`, cell: (row) => formatNumber(row.credits), numeric: true },
    { header: t`US$`, cell: (row) => formatUsd(row.credits), numeric: true },
    { header: t`Input tokens`, cell: (row) => formatNumber(row.inputTokens), numeric: true },
    { header: t`Output tokens`, cell: (row) => formatNumber(row.outputTokens), numeric: true },
    { header: t`Requests`, cell: (row) => formatNumber(row.records), numeric: true },
  ];
  const userColumns: Column<TopUserRow>[] = [
    {
      header: t`User`,
      cell: (row) => (
        <Link
          to={`/admin/users/${row.userId}`}
          className="font-medium text-brand-text underline-offset-2 hover:underline"
        >
          {row.displayName}
        </Link>
      ),
    },
    { header: t`Email`, cell: (row) => row.email },
    { header: t`Credits`, cell: (row) => formatNumber(row.credits), numeric: true },
    { header: t`US$`, cell: (row) => formatUsd(row.credits), numeric: true },
    { header: t`Tokens`, cell: (row) => formatNumber(row.inputTokens + row.outputTokens), numeric: true },
    { header: t`Requests`, cell: (row) => formatNumber(row.records), numeric: true },
  ];

  return (
    <div className="space-y-6">
      <UsageTotals totals={stats.totals} />

      <ChartCard
        title={t`Credits per day`}
        description={t`Credits charged for model use each UTC day.`}
        isEmpty={noUsage}
        chart={creditsPerDayChart(byDay)}
        csv={{
          filename: `${filePrefix}-credits-per-day_${tag}.csv`,
          header: ["day", "credits", "usd", "requests"],
          rows: byDay.map((row) => [row.day, row.credits, creditsToDollars(row.credits), row.records]),
        }}
        table={
          <DataTable
            label={t`Credits per day`}
            columns={dayColumns()}
            rows={byDay}
            rowKey={(row) => row.day}
          />
        }
      />

      <ChartCard
        title={t`Tokens per day`}
        description={t`Input (prompt) and output (generated) tokens each UTC day.`}
        isEmpty={noUsage}
        chart={{
          data: byDay.map((row) => ({ day: row.day, input: row.inputTokens, output: row.outputTokens })),
          categoryKey: "day",
          series: [
            { key: "input", label: t`Input tokens`, color: CHART_COLORS.primary },
            { key: "output", label: t`Output tokens`, color: CHART_COLORS.secondary },
          ],
          orientation: "columns",
          stacked: true,
          valueLabel: t`Tokens`,
          categoryLabel: t`Day (UTC)`,
          formatValue: tokenCount,
          formatCategory: formatDay,
        }}
        csv={{
          filename: `${filePrefix}-tokens-per-day_${tag}.csv`,
          header: ["day", "input_tokens", "output_tokens", "total_tokens"],
          rows: byDay.map((row) => [
            row.day,
            row.inputTokens,
            row.outputTokens,
            row.inputTokens + row.outputTokens,
          ]),
        }}
        table={
          <DataTable
            label={t`Tokens per day`}
            columns={dayColumns()}
            rows={byDay}
            rowKey={(row) => row.day}
          />
        }
      />

      <ChartCard
        title={t`Credits by model`}
        description={t`Which models the credits went to.`}
        chart={{
          data: stats.byModel.map((row) => ({ model: modelName(row), credits: row.credits })),
          categoryKey: "model",
          series: [{ key: "credits", label: t`Credits`, color: CHART_COLORS.primary }],
          orientation: "bars",
          valueLabel: t`Credits`,
          categoryLabel: t`Model`,
          formatValue: creditsWithUsd,
        }}
        csv={{
          filename: `${filePrefix}-by-model_${tag}.csv`,
          header: ["model_id", "model", "credits", "usd", "input_tokens", "output_tokens", "requests"],
          rows: stats.byModel.map((row) => [
            row.modelId ?? "",
            modelName(row),
            row.credits,
            creditsToDollars(row.credits),
            row.inputTokens,
            row.outputTokens,
            row.records,
          ]),
        }}
        table={
          <DataTable
            label={t`Credits by model`}
            columns={modelColumns}
            rows={stats.byModel}
            rowKey={(row) => row.modelId ?? "none"}
          />
        }
      />

      {topUsers && (
        <ChartCard
          title={t`Top users`}
          description={t`The people who spent the most credits in this period.`}
          chart={{
            data: topUsers.map((row) => ({ user: row.displayName, credits: row.credits })),
            categoryKey: "user",
            series: [{ key: "credits", label: t`Credits`, color: CHART_COLORS.primary }],
            orientation: "bars",
            valueLabel: t`Credits`,
            categoryLabel: t`User`,
            formatValue: creditsWithUsd,
          }}
          csv={{
            filename: `${filePrefix}-top-users_${tag}.csv`,
            header: [
              "user_id",
              "email",
              "display_name",
              "credits",
              "usd",
              "input_tokens",
              "output_tokens",
              "requests",
            ],
            rows: topUsers.map((row) => [
              row.userId,
              row.email,
              row.displayName,
              row.credits,
              creditsToDollars(row.credits),
              row.inputTokens,
              row.outputTokens,
              row.records,
            ]),
          }}
          table={
            <DataTable
              label={t`Top users`}
              columns={userColumns}
              rows={topUsers}
              rowKey={(row) => row.userId}
            />
          }
        />
      )}
    </div>
  );
}

/** The figures of each UTC day, for the table behind a per-day chart. */
export function dayColumns(): Column<UsageDayRow>[] {
  return [
    { header: i18n._(msg`Day (UTC)`), cell: (row) => formatLongDay(row.day) },
    { header: i18n._(msg`Credits`), cell: (row) => formatNumber(row.credits), numeric: true },
    { header: i18n._(msg`US$`), cell: (row) => formatUsd(row.credits), numeric: true },
    { header: i18n._(msg`Input tokens`), cell: (row) => formatNumber(row.inputTokens), numeric: true },
    { header: i18n._(msg`Output tokens`), cell: (row) => formatNumber(row.outputTokens), numeric: true },
    { header: i18n._(msg`Requests`), cell: (row) => formatNumber(row.records), numeric: true },
  ];
}

/** "12,345 tokens" for a chart tooltip. */
function tokenCount(value: number): string {
  const count = formatNumber(value);
  return i18n._(msg`${count} tokens`);
}

/** "12,345 credits (US$0.12)" for a chart tooltip. */
function creditsWithUsd(value: number): string {
  const count = formatNumber(value);
  const usd = formatUsd(value);
  return i18n._(msg`${count} credits (${usd})`);
}

/** The bar chart of credits charged each UTC day. */
export function creditsPerDayChart(byDay: readonly UsageDayRow[]): UsageBarChartProps {
  return {
    data: byDay.map((row) => ({ day: row.day, credits: row.credits })),
    categoryKey: "day",
    series: [{ key: "credits", label: i18n._(msg`Credits`), color: CHART_COLORS.primary }],
    orientation: "columns",
    valueLabel: i18n._(msg`Credits`),
    categoryLabel: i18n._(msg`Day (UTC)`),
    formatValue: creditsWithUsd,
    formatCategory: formatDay,
  };
}

/** A period's totals: credits (with their dollar value), tokens in and out, and requests. */
export function UsageTotals({ totals }: { totals: UsageTotalsRow }) {
  const { t } = useLingui();
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <StatCard
        icon={Coins}
        label={t`Credits spent`}
        value={formatNumber(totals.credits)}
        detail={formatUsd(totals.credits)}
      />
      <StatCard
        icon={ArrowDownToLine}
        label={t`Input tokens`}
        value={formatNumber(totals.inputTokens)}
        detail={t`Prompts sent to models`}
      />
      <StatCard
        icon={ArrowUpFromLine}
        label={t`Output tokens`}
        value={formatNumber(totals.outputTokens)}
        detail={t`Generated by models`}
      />
      <StatCard
        icon={Hash}
        label={t`Requests`}
        value={formatNumber(totals.records)}
        detail={t`Charged model calls`}
      />
    </dl>
  );
}
