import { plural } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { ChartColumn } from "lucide-react";
import { useMemo, useState } from "react";
import type { ChatSetup } from "../../lib/chat/use-chat-config.ts";
import { formatCredits } from "../../lib/format.ts";
import { fillUsageDays, PERIOD_PRESETS, type PresetDays, periodRange } from "../../lib/period.ts";
import { trpc } from "../../lib/trpc.ts";
import { ChartFigure } from "../ui/ChartCard.tsx";
import { DataTable } from "../ui/DataTable.tsx";
import { QueryError } from "../ui/QueryError.tsx";
import { Section } from "../ui/Section.tsx";
import { SelectField } from "../ui/SelectField.tsx";
import { LoadingBlock } from "../ui/states.tsx";
import { creditsPerDayChart, dayColumns, UsageTotals } from "../usage/UsageReport.tsx";

function isPreset(value: number): value is PresetDays {
  return PERIOD_PRESETS.some((days) => days === value);
}

/** The person's own usage over time: totals, a daily chart, and a per-model breakdown. */
function callCount(records: number): string {
  return plural(records, { one: "# call", other: "# calls" });
}

export function UsageSection({ setup }: { setup: ChatSetup | undefined }) {
  const { t } = useLingui();
  const ranges = PERIOD_PRESETS.map((days) => ({ value: String(days), label: t`Last ${days} days` }));
  const [range, setRange] = useState<PresetDays>(30);
  // Fixed per range (not per render), so the query key is stable.
  const period = useMemo(() => periodRange({ kind: "preset", days: range }), [range]);
  const stats = trpc.accounting.usage.stats.useQuery(
    { from: period.from },
    { placeholderData: (previous) => previous },
  );
  const days = useMemo(
    () => (stats.data ? fillUsageDays(period.days, stats.data.byDay) : []),
    [stats.data, period.days],
  );

  return (
    <Section
      id="usage"
      icon={ChartColumn}
      title={t`Your usage`}
      description={t`Credits spent on answers per day (UTC).`}
      actions={
        <SelectField
          inline
          label={t`Period`}
          value={String(range)}
          onChange={(event) => {
            const days = Number(event.target.value);
            if (isPreset(days)) setRange(days);
          }}
          options={ranges}
        />
      }
    >
      {stats.isPending ? (
        <LoadingBlock label={t`Loading usage…`} />
      ) : stats.isError && !stats.data ? (
        <QueryError query={stats} title={t`Couldn't load your usage`} />
      ) : stats.data ? (
        <div className="space-y-5" aria-busy={stats.isFetching || undefined}>
          <UsageTotals totals={stats.data.totals} />
          <ChartFigure
            title={t`Credits per day`}
            chart={creditsPerDayChart(days)}
            isEmpty={stats.data.totals.records === 0}
            table={
              <DataTable
                label={t`Credits per day`}
                columns={dayColumns()}
                rows={days}
                rowKey={(row) => row.day}
              />
            }
          />
          {stats.data.byModel.length > 0 && (
            <div>
              <h3 className="mb-2 text-sm font-semibold text-fg">
                <Trans>By model</Trans>
              </h3>
              <ul className="divide-y divide-border rounded-xl border border-border">
                {stats.data.byModel.map((m) => (
                  <li
                    key={m.modelId ?? "none"}
                    className="flex items-center justify-between gap-3 px-4 py-2.5 text-sm"
                  >
                    <span className="min-w-0 truncate text-fg">
                      {m.modelId ? (setup?.displayName(m.modelId) ?? m.modelId) : t`Other usage`}
                    </span>
                    <span className="shrink-0 text-fg-muted tabular-nums">
                      <span className="font-semibold text-fg">{formatCredits(m.credits)}</span> ·{" "}
                      {callCount(m.records)}
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
