import { Trans } from "@lingui/react/macro";
import type { ReactNode } from "react";

export function StatusBadge({ active }: { active: boolean }) {
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-semibold ring-1 ring-inset ${
        active
          ? "bg-emerald-500/10 text-emerald-700 ring-emerald-500/25 dark:text-emerald-300"
          : "bg-surface-muted text-fg-muted ring-border"
      }`}
    >
      <span
        aria-hidden="true"
        className={`size-1.5 rounded-full ${active ? "bg-emerald-500" : "bg-fg-muted"}`}
      />
      {active ? <Trans>Active</Trans> : <Trans>Inactive</Trans>}
    </span>
  );
}

/** A quiet pill for categories (ledger types, reservation statuses). */
export function Pill({
  children,
  tone = "neutral",
}: {
  children: ReactNode;
  tone?: "neutral" | "good" | "bad" | "brand";
}) {
  const tones = {
    neutral: "bg-surface-muted text-fg-muted ring-border",
    good: "bg-emerald-500/10 text-emerald-700 ring-emerald-500/25 dark:text-emerald-300",
    bad: "bg-danger-soft text-danger ring-danger/25",
    brand: "bg-brand-soft text-brand-text ring-brand/25",
  } as const;
  return (
    <span
      className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap ring-1 ring-inset ${tones[tone]}`}
    >
      {children}
    </span>
  );
}
