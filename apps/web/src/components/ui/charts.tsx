import { Trans } from "@lingui/react/macro";
// Recharts is heavy: this module is only ever imported lazily (see ChartCard), so it stays out of
// every screen's first bundle and loads alongside the usage data.

import { useSyncExternalStore } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from "recharts";
import { formatCompact } from "../../lib/format.ts";

export type ChartDatum = Record<string, string | number>;

export interface ChartSeries {
  key: string;
  label: string;
  /** A CSS colour; the palette in chart-colors.ts follows dark mode. */
  color: string;
}

export interface UsageBarChartProps {
  data: readonly ChartDatum[];
  categoryKey: string;
  series: readonly ChartSeries[];
  /** "columns": categories along the bottom (days); "bars": categories down the side (models, users). */
  orientation: "columns" | "bars";
  /** The value axis title, with its unit, e.g. "Credits". */
  valueLabel: string;
  /** The category axis title, e.g. "Day (UTC)". */
  categoryLabel: string;
  formatValue: (value: number) => string;
  formatCategory?: (value: string) => string;
  /** Adds a total line to the tooltip of stacked series. */
  stacked?: boolean;
}

const TICK = { fill: "var(--fg-muted)", fontSize: 12 };
const AXIS_TITLE = { fill: "var(--fg-muted)", fontSize: 12, fontWeight: 600 };

const WIDE_QUERY = "(min-width: 640px)";

/** Whether the screen is wider than a phone: long category names get more room there. */
function useWideScreen(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const query = window.matchMedia(WIDE_QUERY);
      query.addEventListener("change", onChange);
      return () => query.removeEventListener("change", onChange);
    },
    () => window.matchMedia(WIDE_QUERY).matches,
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function UsageBarChart({
  data,
  categoryKey,
  series,
  orientation,
  valueLabel,
  categoryLabel,
  formatValue,
  formatCategory = (value) => value,
  stacked = false,
}: UsageBarChartProps) {
  const rows = [...data];
  const wide = useWideScreen();
  const bars = orientation === "bars";
  const height = bars ? Math.max(180, rows.length * 44 + 80) : 300;

  const valueAxis = {
    type: "number" as const,
    tick: TICK,
    tickFormatter: (value: number) => formatCompact(value),
    axisLine: false,
    tickLine: false,
    allowDecimals: false,
  };
  const categoryAxis = {
    type: "category" as const,
    dataKey: categoryKey,
    tick: TICK,
    tickFormatter: (value: string) => truncate(formatCategory(String(value)), wide ? 24 : 12),
    axisLine: { stroke: "var(--border)" },
    tickLine: false,
  };

  return (
    <div className="space-y-3">
      {series.length > 1 && (
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-fg-muted">
          {series.map((s) => (
            <li key={s.key} className="flex items-center gap-1.5">
              <span aria-hidden="true" className="size-2.5 rounded-sm" style={{ background: s.color }} />
              {s.label}
            </li>
          ))}
        </ul>
      )}
      <ResponsiveContainer width="100%" height={height}>
        <BarChart
          data={rows}
          layout={bars ? "vertical" : "horizontal"}
          margin={{ top: 8, right: 16, bottom: 24, left: 8 }}
          barCategoryGap={bars ? "24%" : "18%"}
        >
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={bars} horizontal={!bars} />
          {bars ? (
            <>
              <XAxis
                {...valueAxis}
                label={{ value: valueLabel, position: "insideBottom", offset: -16, style: AXIS_TITLE }}
              />
              <YAxis
                {...categoryAxis}
                width="auto"
                label={{
                  value: categoryLabel,
                  angle: -90,
                  position: "insideLeft",
                  offset: 0,
                  style: AXIS_TITLE,
                }}
              />
            </>
          ) : (
            <>
              <XAxis
                {...categoryAxis}
                minTickGap={16}
                label={{ value: categoryLabel, position: "insideBottom", offset: -16, style: AXIS_TITLE }}
              />
              <YAxis
                {...valueAxis}
                width={64}
                label={{
                  value: valueLabel,
                  angle: -90,
                  position: "insideLeft",
                  offset: 4,
                  style: { ...AXIS_TITLE, textAnchor: "middle" },
                }}
              />
            </>
          )}
          <Tooltip
            cursor={{ fill: "var(--surface-muted)" }}
            content={(props) => (
              <ChartTooltip
                {...props}
                formatValue={formatValue}
                formatCategory={formatCategory}
                stacked={stacked}
              />
            )}
          />
          {series.map((s, index) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.label}
              fill={s.color}
              maxBarSize={bars ? 28 : 40}
              radius={index === series.length - 1 || !stacked ? (bars ? [0, 4, 4, 0] : [4, 4, 0, 0]) : 0}
              isAnimationActive={false}
              {...(stacked ? { stackId: "total" } : {})}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

type ChartTooltipProps = TooltipContentProps & {
  formatValue: (value: number) => string;
  formatCategory: (value: string) => string;
  stacked: boolean;
};

function ChartTooltip({ active, payload, label, formatValue, formatCategory, stacked }: ChartTooltipProps) {
  if (!active || payload.length === 0) return null;
  const total = payload.reduce((sum, entry) => sum + Number(entry.value ?? 0), 0);
  return (
    <div className="min-w-40 rounded-lg border border-border bg-surface px-3 py-2 text-xs text-fg shadow-lg shadow-black/10">
      <p className="mb-1.5 font-semibold">{formatCategory(String(label ?? ""))}</p>
      <ul className="space-y-1">
        {payload.map((entry) => (
          <li key={String(entry.dataKey)} className="flex items-center justify-between gap-4">
            <span className="flex items-center gap-1.5 text-fg-muted">
              <span aria-hidden="true" className="size-2.5 rounded-sm" style={{ background: entry.color }} />
              {entry.name}
            </span>
            <span className="font-medium tabular-nums">{formatValue(Number(entry.value ?? 0))}</span>
          </li>
        ))}
        {stacked && payload.length > 1 && (
          <li className="flex items-center justify-between gap-4 border-t border-border pt-1">
            <span className="text-fg-muted">
              <Trans>Total</Trans>
            </span>
            <span className="font-semibold tabular-nums">{formatValue(total)}</span>
          </li>
        )}
      </ul>
    </div>
  );
}
