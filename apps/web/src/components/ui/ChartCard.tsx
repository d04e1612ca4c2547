import { Trans, useLingui } from "@lingui/react/macro";
import { Download } from "lucide-react";
import { lazy, type ReactNode, Suspense } from "react";
import { type CsvCell, downloadCsv } from "../../lib/csv.ts";
import { Button } from "./Button.tsx";
import type { UsageBarChartProps } from "./charts.tsx";
import { Section } from "./Section.tsx";

// The chart library arrives in its own chunk, after the page and its data are already showing.
const UsageBarChart = lazy(() =>
  import("./charts.tsx").then((module) => ({ default: module.UsageBarChart })),
);

export interface CsvExport {
  filename: string;
  header: readonly string[];
  rows: readonly (readonly CsvCell[])[];
}

interface ChartCardProps {
  title: string;
  description?: ReactNode;
  chart: UsageBarChartProps;
  /** The rows behind the chart, offered as a download. */
  csv: CsvExport;
  /** The same rows as an HTML table, for screen readers and exact numbers. */
  table: ReactNode;
  /** Set when there is nothing to draw even though the rows exist (e.g. days all zero). */
  isEmpty?: boolean;
  emptyMessage?: string;
}

export function ChartCard({
  title,
  description,
  chart,
  csv,
  table,
  isEmpty = false,
  emptyMessage,
}: ChartCardProps) {
  const { t } = useLingui();
  return (
    <Section
      title={title}
      description={description}
      actions={
        <Button
          variant="secondary"
          className="h-8 px-2.5 text-xs"
          icon={<Download aria-hidden="true" className="size-3.5" />}
          disabled={csv.rows.length === 0}
          aria-label={t`Download CSV: ${title}`}
          onClick={() => downloadCsv(csv.filename, csv.header, csv.rows)}
        >
          CSV
        </Button>
      }
    >
      <ChartFigure title={title} chart={chart} table={table} isEmpty={isEmpty} emptyMessage={emptyMessage} />
    </Section>
  );
}

interface ChartFigureProps {
  /** Names the figure for screen readers. */
  title: string;
  chart: UsageBarChartProps;
  /** The same rows as an HTML table, for screen readers and exact numbers. */
  table: ReactNode;
  isEmpty?: boolean;
  emptyMessage?: string;
}

/** A bar chart (its library loads lazily) with its numbers as a table under a disclosure. */
export function ChartFigure({ title, chart, table, isEmpty = false, emptyMessage }: ChartFigureProps) {
  if (isEmpty || chart.data.length === 0) {
    return (
      <div className="grid h-40 place-items-center rounded-xl border border-dashed border-border text-sm text-fg-muted">
        {emptyMessage ?? <Trans>No usage in this period.</Trans>}
      </div>
    );
  }
  return (
    <figure className="space-y-4 [--chart-1:#4f46e5] [--chart-2:#0e9f9a] dark:[--chart-1:#8d86ff] dark:[--chart-2:#2dd4bf]">
      <figcaption className="sr-only">
        <Trans>{title}. The table below the chart lists the same numbers.</Trans>
      </figcaption>
      <Suspense
        fallback={
          <div
            role="status"
            className="grid h-72 place-items-center rounded-xl bg-surface-muted/60 text-sm text-fg-muted"
          >
            <Trans>Loading chart…</Trans>
          </div>
        }
      >
        <UsageBarChart {...chart} />
      </Suspense>
      <details className="group rounded-lg border border-border">
        <summary className="cursor-pointer rounded-lg px-3 py-2 text-sm font-medium text-fg-muted select-none hover:text-fg">
          <Trans>Show the numbers as a table</Trans>
        </summary>
        <div className="border-t border-border">{table}</div>
      </details>
    </figure>
  );
}
