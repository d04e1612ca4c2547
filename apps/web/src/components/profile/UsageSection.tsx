import { ChartColumn, RefreshCw } from "lucide-react";
import { lazy, Suspense, useId, useMemo, useState } from "react";
import type { ChatSetup } from "../../lib/chat/use-chat-config.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatCredits, formatNumber, formatUsd } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { Alert } from "../Alert.tsx";
import { Button } from "../Button.tsx";
import { Section, SelectField } from "./Section.tsx";
import { fillDays } from "./usage-days.ts";

const UsageChart = lazy(() => import("./UsageChart.tsx"));

const RANGES = [
  { value: "7", label: "Last 7 days" },
  { value: "30", label: "Last 30 days" },
  { value: "90", label: "Last 90 days" },
];

const DAY_MS = 24 * 60 * 60 * 1000;

function ChartPlaceholder() {
  return <div className="h-60 animate-pulse rounded-xl bg-surface-muted motion-reduce:animate-none" />;
}

/** The person's own usage over time: totals, a daily chart, and a per-model breakdown. */
export function UsageSection({ setup }: { setup: ChatSetup | undefined }) {
  const id = useId();
  const [range, setRange] = useState("30");
  // Fixed per range (not per render), so the query key is stable.
  const from = useMemo(() => {
    const today = new Date();
    const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
    return new Date(start - (Number(range) - 1) * DAY_MS);
  }, [range]);
  const stats = trpc.accounting.usage.stats.useQuery({ from }, { placeholderData: (previous) => previous });
  const days = useMemo(() => (stats.data ? fillDays(stats.data) : []), [stats.data]);
  const used = days.filter((d) => d.records > 0);

  return (
    <Section
      id="usage"
      icon={ChartColumn}
      title="Your usage"
      description="Credits spent on answers per day (UTC)."
      actions={
        <SelectField id={`${id}-range`} label="Period" value={range} onChange={setRange} options={RANGES} />
      }
    >
      {stats.isPending ? (
        <div role="status" aria-label="Loading usage" className="space-y-4">
          <div className="grid grid-cols-3 gap-3">
            {[0, 1, 2].map((i) => (
              <div
                key={i}
                className="h-16 animate-pulse rounded-xl bg-surface-muted motion-reduce:animate-none"
              />
            ))}
          </div>
          <ChartPlaceholder />
        </div>
      ) : stats.isError && !stats.data ? (
        <div className="space-y-3">
          <Alert title="Couldn't load your usage">{errorMessage(stats.error)}</Alert>
          <Button
            variant="secondary"
            loading={stats.isFetching}
            icon={<RefreshCw aria-hidden="true" className="size-4" />}
            onClick={() => void stats.refetch()}
          >
            Try again
          </Button>
        </div>
      ) : stats.data ? (
        <div className="space-y-5" aria-busy={stats.isFetching || undefined}>
          <dl className="grid grid-cols-1 gap-3 sm:grid-cols-3">
            <Stat
              label="Credits used"
              value={formatNumber(stats.data.totals.credits)}
              hint={formatUsd(stats.data.totals.credits)}
            />
            <Stat
              label="Tokens"
              value={formatNumber(stats.data.totals.inputTokens + stats.data.totals.outputTokens)}
              hint={`${formatNumber(stats.data.totals.inputTokens)} in · ${formatNumber(stats.data.totals.outputTokens)} out`}
            />
            <Stat
              label="Answers"
              value={formatNumber(stats.data.totals.records)}
              hint="Metered model calls"
            />
          </dl>
          <figure>
            <figcaption className="sr-only">
              Bar chart of credits used per day.{" "}
              {used.length === 0 ? "No usage in this period." : "The daily figures follow in a table."}
            </figcaption>
            <div aria-hidden="true">
              <Suspense fallback={<ChartPlaceholder />}>
                <UsageChart days={days} />
              </Suspense>
            </div>
          </figure>
          {used.length > 0 && (
            <details className="rounded-xl border border-border">
              <summary className="cursor-pointer rounded-xl px-4 py-2.5 text-sm font-medium text-fg hover:bg-surface-muted">
                Daily figures ({used.length} {used.length === 1 ? "day" : "days"} with usage)
              </summary>
              <table className="w-full text-sm">
                <caption className="sr-only">Credits and tokens per day</caption>
                <thead>
                  <tr className="border-y border-border text-left text-xs font-semibold tracking-wide text-fg-muted uppercase">
                    <th scope="col" className="px-4 py-2">
                      Day
                    </th>
                    <th scope="col" className="px-4 py-2 text-right">
                      Credits
                    </th>
                    <th scope="col" className="px-4 py-2 text-right">
                      Tokens
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {used.map((d) => (
                    <tr key={d.day} className="border-b border-border last:border-b-0">
                      <td className="px-4 py-2 text-fg">{d.label}</td>
                      <td className="px-4 py-2 text-right tabular-nums">{formatNumber(d.credits)}</td>
                      <td className="px-4 py-2 text-right tabular-nums">
                        {formatNumber(d.inputTokens + d.outputTokens)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          )}
          {stats.data.byModel.length > 0 && (
            <div>
              <h3 className="mb-2 text-sm font-semibold text-fg">By model</h3>
              <ul className="divide-y divide-border rounded-xl border border-border">
                {stats.data.byModel.map((m) => (
                  <li
                    key={m.modelId ?? "none"}
                    className="flex items-center justify-between gap-3 px-4 py-2.5 text-sm"
                  >
                    <span className="min-w-0 truncate text-fg">
                      {m.modelId ? (setup?.displayName(m.modelId) ?? m.modelId) : "Other usage"}
                    </span>
                    <span className="shrink-0 text-fg-muted tabular-nums">
                      <span className="font-semibold text-fg">{formatCredits(m.credits)}</span> ·{" "}
                      {formatNumber(m.records)} {m.records === 1 ? "call" : "calls"}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      ) : null}
    </Section>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <div className="rounded-xl bg-surface-muted px-4 py-3">
      <dt className="text-xs font-medium text-fg-muted">{label}</dt>
      <dd className="mt-0.5 text-xl font-semibold tracking-tight text-fg tabular-nums">{value}</dd>
      <dd className="text-xs text-fg-muted">{hint}</dd>
    </div>
  );
}
