import { Trans, useLingui } from "@lingui/react/macro";
import { type FormEvent, useId, useState } from "react";
import {
  customPeriodProblem,
  PERIOD_PRESETS,
  type Period,
  type PresetDays,
  periodRange,
  utcDay,
} from "../../lib/period.ts";
import { Button } from "./Button.tsx";
import { FieldError, Segmented } from "./SelectField.tsx";

type Mode = `${PresetDays}` | "custom";

/** Presets (7, 30, 90 days) or a custom from–to range of UTC days; the custom one applies on submit. */
export function PeriodPicker({ period, onChange }: { period: Period; onChange: (period: Period) => void }) {
  const [mode, setMode] = useState<Mode>(period.kind === "preset" ? `${period.days}` : "custom");
  const range = periodRange(period);
  const [from, setFrom] = useState(range.days[0] ?? "");
  const [to, setTo] = useState(range.days[range.days.length - 1] ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  const { t } = useLingui();
  const options: readonly { value: Mode; label: string }[] = [
    ...PERIOD_PRESETS.map((days) => ({ value: `${days}` as Mode, label: t`${days} days` })),
    { value: "custom", label: t`Custom` },
  ];
  const today = utcDay(new Date());

  const choose = (next: Mode) => {
    setMode(next);
    setProblem(null);
    if (next !== "custom") onChange({ kind: "preset", days: Number(next) as PresetDays });
  };

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = customPeriodProblem(from, to);
    setProblem(reason);
    if (!reason) onChange({ kind: "custom", from, to });
  };

  return (
    <div className="flex flex-col gap-3 lg:flex-row lg:items-end">
      <Segmented
        legend={t`Period`}
        name={`${id}-period`}
        value={mode}
        options={options}
        onChange={choose}
        hideLegend
      />
      {mode === "custom" && (
        <form noValidate onSubmit={apply} className="flex flex-wrap items-end gap-2">
          <div className="space-y-1">
            <label htmlFor={`${id}-from`} className="block text-xs font-medium text-fg-muted">
              <Trans>From</Trans>
            </label>
            <input
              id={`${id}-from`}
              type="date"
              value={from}
              max={today}
              onChange={(event) => setFrom(event.target.value)}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${id}-problem` : undefined}
              className="h-9 rounded-lg border border-border bg-surface px-2.5 text-sm text-fg shadow-xs focus:border-brand focus:ring-4 focus:ring-brand/15 focus:outline-none"
            />
          </div>
          <div className="space-y-1">
            <label htmlFor={`${id}-to`} className="block text-xs font-medium text-fg-muted">
              <Trans>To</Trans>
            </label>
            <input
              id={`${id}-to`}
              type="date"
              value={to}
              onChange={(event) => setTo(event.target.value)}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${id}-problem` : undefined}
              className="h-9 rounded-lg border border-border bg-surface px-2.5 text-sm text-fg shadow-xs focus:border-brand focus:ring-4 focus:ring-brand/15 focus:outline-none"
            />
          </div>
          <Button type="submit" variant="secondary" className="h-9 px-3">
            <Trans>Apply</Trans>
          </Button>
          {problem && (
            <div className="basis-full">
              <FieldError id={`${id}-problem`}>{problem}</FieldError>
            </div>
          )}
        </form>
      )}
    </div>
  );
}
