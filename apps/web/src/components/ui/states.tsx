import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";
import { Spinner } from "./Spinner.tsx";

export function LoadingBlock({ label, className = "py-16" }: { label: string; className?: string }) {
  return (
    <div
      role="status"
      className={`flex flex-col items-center justify-center gap-3 text-fg-muted ${className}`}
    >
      <Spinner className="size-6 text-brand-text" />
      <span className="text-sm">{label}</span>
    </div>
  );
}

export function EmptyState({
  icon: Icon,
  title,
  children,
}: {
  icon: LucideIcon;
  title: string;
  children?: ReactNode;
}) {
  return (
    <div className="flex flex-col items-center px-6 py-12 text-center">
      <span className="grid size-11 place-items-center rounded-xl bg-surface-muted text-fg-muted">
        <Icon aria-hidden="true" className="size-5" />
      </span>
      <p className="mt-3 text-sm font-semibold text-fg">{title}</p>
      {children && <div className="mt-1 max-w-sm text-sm text-fg-muted">{children}</div>}
    </div>
  );
}

export function StatCard({
  label,
  value,
  detail,
  icon: Icon,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  icon: LucideIcon;
}) {
  return (
    <div className="min-w-0 rounded-2xl border border-border bg-surface p-4 shadow-sm">
      <dt className="flex items-center gap-2 text-xs font-medium tracking-wide text-fg-muted uppercase">
        <Icon aria-hidden="true" className="size-4 shrink-0" />
        {label}
      </dt>
      <dd className="mt-2 truncate text-lg font-semibold tracking-tight text-fg tabular-nums sm:text-2xl">
        {value}
      </dd>
      {detail && <dd className="mt-0.5 truncate text-xs text-fg-muted">{detail}</dd>}
    </div>
  );
}
