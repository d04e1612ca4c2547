import { ArrowDownToLine, ArrowUpFromLine, Coins, Hash } from "lucide-react";
import { Link } from "react-router";
import { ChartCard } from "./ChartCard.tsx";
import { CHART_COLORS } from "./chart-colors.ts";
import { type Column, DataTable } from "./DataTable.tsx";
import { creditsToUsd, formatDay, formatLongDay, formatNumber } from "./format.ts";
import { fillDays, type Period, periodRange, periodTag } from "./period.ts";
import type { SystemUsageStats, UsageStats, UsageTotals } from "./types.ts";
import { StatCard } from "./ui.tsx";

type DayRow = UsageStats["byDay"][number];
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

const UNATTRIBUTED = "Not tied to a model";

/** Totals and charts of one period's usage: per day, per model and (system-wide) per user. */
export function UsageReport({ stats, period, modelNames, filePrefix }: UsageReportProps) {
  const { days } = periodRange(period);
  const tag = periodTag(period);
  const byDay = fillDays<DayRow>(days, stats.byDay, (day) => ({
    day,
    credits: 0,
    inputTokens: 0,
    outputTokens: 0,
    records: 0,
  }));
  const modelName = (row: ModelRow) =>
    row.modelId ? (modelNames.get(row.modelId) ?? row.modelId) : UNATTRIBUTED;
  const noUsage = stats.totals.records === 0;
  const topUsers = "topUsers" in stats ? stats.topUsers : null;

  const dayColumns: Column<DayRow>[] = [
    { header: "Day (UTC)", cell: (row) => formatLongDay(row.day) },
    { header: "Credits", cell: (row) => formatNumber(row.credits), numeric: true },
    { header: "US$", cell: (row) => creditsToUsd(row.credits), numeric: true },
    { header: "Input tokens", cell: (row) => formatNumber(row.inputTokens), numeric: true },
    { header: "Output tokens", cell: (row) => formatNumber(row.outputTokens), numeric: true },
    { header: "Requests", cell: (row) => formatNumber(row.records), numeric: true },
  ];
  const modelColumns: Column<ModelRow>[] = [
    { header: "Model", cell: modelName },
    { header: "Credits", cell: (row) => formatNumber(row.credits), numeric: true },
    { header: "US$", cell: (row) => creditsToUsd(row.credits), numeric: true },
    { header: "Input tokens", cell: (row) => formatNumber(row.inputTokens), numeric: true },
    { header: "Output tokens", cell: (row) => formatNumber(row.outputTokens), numeric: true },
    { header: "Requests", cell: (row) => formatNumber(row.records), numeric: true },
  ];
  const userColumns: Column<TopUserRow>[] = [
    {
      header: "User",
      cell: (row) => (
        <Link
          to={`/admin/users/${row.userId}`}
          className="font-medium text-brand-text underline-offset-2 hover:underline"
        >
          {row.displayName}
        </Link>
      ),
    },
    { header: "Email", cell: (row) => row.email },
    { header: "Credits", cell: (row) => formatNumber(row.credits), numeric: true },
    { header: "US$", cell: (row) => creditsToUsd(row.credits), numeric: true },
    { header: "Tokens", cell: (row) => formatNumber(row.inputTokens + row.outputTokens), numeric: true },
    { header: "Requests", cell: (row) => formatNumber(row.records), numeric: true },
  ];

  return (
    <div className="space-y-6">
      <Totals totals={stats.totals} />

      <ChartCard
        title="Credits per day"
        description="Credits charged for model use each UTC day."
        isEmpty={noUsage}
        chart={{
          data: byDay.map((row) => ({ day: row.day, credits: row.credits })),
          categoryKey: "day",
          series: [{ key: "credits", label: "Credits", color: CHART_COLORS.primary }],
          orientation: "columns",
          valueLabel: "Credits",
          categoryLabel: "Day (UTC)",
          formatValue: (value) => `${formatNumber(value)} credits (${creditsToUsd(value)})`,
          formatCategory: formatDay,
        }}
        csv={{
          filename: `${filePrefix}-credits-per-day_${tag}.csv`,
          header: ["day", "credits", "usd", "requests"],
          rows: byDay.map((row) => [row.day, row.credits, row.credits / 100_000, row.records]),
        }}
        table={
          <DataTable label="Credits per day" columns={dayColumns} rows={byDay} rowKey={(row) => row.day} />
        }
      />

      <ChartCard
        title="Tokens per day"
        description="Input (prompt) and output (generated) tokens each UTC day."
        isEmpty={noUsage}
        chart={{
          data: byDay.map((row) => ({ day: row.day, input: row.inputTokens, output: row.outputTokens })),
          categoryKey: "day",
          series: [
            { key: "input", label: "Input tokens", color: CHART_COLORS.primary },
            { key: "output", label: "Output tokens", color: CHART_COLORS.secondary },
          ],
          orientation: "columns",
          stacked: true,
          valueLabel: "Tokens",
          categoryLabel: "Day (UTC)",
          formatValue: (value) => `${formatNumber(value)} tokens`,
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
          <DataTable label="Tokens per day" columns={dayColumns} rows={byDay} rowKey={(row) => row.day} />
        }
      />

      <ChartCard
        title="Credits by model"
        description="Which models the credits went to."
        chart={{
          data: stats.byModel.map((row) => ({ model: modelName(row), credits: row.credits })),
          categoryKey: "model",
          series: [{ key: "credits", label: "Credits", color: CHART_COLORS.primary }],
          orientation: "bars",
          valueLabel: "Credits",
          categoryLabel: "Model",
          formatValue: (value) => `${formatNumber(value)} credits (${creditsToUsd(value)})`,
        }}
        csv={{
          filename: `${filePrefix}-by-model_${tag}.csv`,
          header: ["model_id", "model", "credits", "usd", "input_tokens", "output_tokens", "requests"],
          rows: stats.byModel.map((row) => [
            row.modelId ?? "",
            modelName(row),
            row.credits,
            row.credits / 100_000,
            row.inputTokens,
            row.outputTokens,
            row.records,
          ]),
        }}
        table={
          <DataTable
            label="Credits by model"
            columns={modelColumns}
            rows={stats.byModel}
            rowKey={(row) => row.modelId ?? "none"}
          />
        }
      />

      {topUsers && (
        <ChartCard
          title="Top users"
          description="The people who spent the most credits in this period."
          chart={{
            data: topUsers.map((row) => ({ user: row.displayName, credits: row.credits })),
            categoryKey: "user",
            series: [{ key: "credits", label: "Credits", color: CHART_COLORS.primary }],
            orientation: "bars",
            valueLabel: "Credits",
            categoryLabel: "User",
            formatValue: (value) => `${formatNumber(value)} credits (${creditsToUsd(value)})`,
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
              row.credits / 100_000,
              row.inputTokens,
              row.outputTokens,
              row.records,
            ]),
          }}
          table={
            <DataTable label="Top users" columns={userColumns} rows={topUsers} rowKey={(row) => row.userId} />
          }
        />
      )}
    </div>
  );
}

function Totals({ totals }: { totals: UsageTotals }) {
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <StatCard
        icon={Coins}
        label="Credits spent"
        value={formatNumber(totals.credits)}
        detail={creditsToUsd(totals.credits)}
      />
      <StatCard
        icon={ArrowDownToLine}
        label="Input tokens"
        value={formatNumber(totals.inputTokens)}
        detail="Prompts sent to models"
      />
      <StatCard
        icon={ArrowUpFromLine}
        label="Output tokens"
        value={formatNumber(totals.outputTokens)}
        detail="Generated by models"
      />
      <StatCard
        icon={Hash}
        label="Requests"
        value={formatNumber(totals.records)}
        detail="Charged model calls"
      />
    </dl>
  );
}
