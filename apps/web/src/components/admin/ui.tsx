import {
  ArrowDown,
  ArrowUp,
  ArrowUpDown,
  ChevronDown,
  CircleExclamationPoint,
  type LucideIcon,
} from "lucide-react";
import { type ComponentProps, type ReactNode, useId } from "react";
import { Spinner } from "../Spinner.tsx";

/** Table cell styles shared by every admin table. */
export const TABLE = "w-full min-w-max border-collapse text-left text-sm";
export const TH =
  "border-b border-border bg-surface-muted/60 px-4 py-2.5 text-xs font-semibold tracking-wide whitespace-nowrap text-fg-muted uppercase";
export const TD = "border-b border-border px-4 py-3 align-middle text-fg";
export const NUM = "text-right tabular-nums";

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight break-words text-fg">{title}</h1>
        {description && <p className="mt-1 text-sm text-fg-muted">{description}</p>}
      </div>
      {actions && <div className="flex shrink-0 flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}

interface SectionProps {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  /** Tables run edge to edge; forms and text get padding. */
  flush?: boolean;
}

/** A card with a heading; its region is named by the heading for screen-reader navigation. */
export function Section({ title, description, actions, children, flush = false }: SectionProps) {
  const headingId = useId();
  return (
    <section
      aria-labelledby={headingId}
      className="min-w-0 overflow-hidden rounded-2xl border border-border bg-surface shadow-sm"
    >
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-border px-5 py-4">
        <div className="min-w-0">
          <h2 id={headingId} className="text-base font-semibold text-fg">
            {title}
          </h2>
          {description && <p className="mt-0.5 text-sm text-fg-muted">{description}</p>}
        </div>
        {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
      </div>
      <div className={flush ? "" : "p-5"}>{children}</div>
    </section>
  );
}

/**
 * A horizontally scrolling frame for a wide table, so a phone scrolls the table and not the page.
 * It is focusable so keyboard users can scroll it too.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <section
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
      tabIndex={0}
      className="relative overflow-x-auto focus-visible:outline-offset-[-2px]"
    >
      {children}
    </section>
  );
}

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
      {active ? "Active" : "Inactive"}
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

const CONTROL =
  "block h-10 w-full rounded-lg border border-border bg-surface px-3 text-base text-fg shadow-xs transition-[border-color,box-shadow] focus:border-brand focus:ring-4 focus:ring-brand/15 focus:outline-none aria-invalid:border-danger sm:text-sm";

interface SelectFieldProps extends Omit<ComponentProps<"select">, "id"> {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
}

export function SelectField({ label, hint, error, className = "", children, ...select }: SelectFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ");
  return (
    <div className={`space-y-1.5 ${className}`}>
      <label htmlFor={id} className="block text-sm font-medium text-fg">
        {label}
      </label>
      <div className="relative">
        <select
          id={id}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          className={`${CONTROL} appearance-none pr-9`}
          {...select}
        >
          {children}
        </select>
        <ChevronDown
          aria-hidden="true"
          className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-fg-muted"
        />
      </div>
      {hint && (
        <p id={hintId} className="text-xs text-fg-muted">
          {hint}
        </p>
      )}
      {error && <FieldError id={errorId}>{error}</FieldError>}
    </div>
  );
}

export function FieldError({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="flex items-start gap-1.5 text-sm text-danger">
      <CircleExclamationPoint aria-hidden="true" className="mt-0.5 size-3.5 shrink-0" />
      <span>{children}</span>
    </p>
  );
}

/** A column header that sorts the table; aria-sort tells screen readers the current order. */
export function SortableHeader({
  label,
  active,
  order,
  onSort,
  className = "",
}: {
  label: string;
  active: boolean;
  order: "asc" | "desc";
  onSort: () => void;
  className?: string;
}) {
  const Icon = !active ? ArrowUpDown : order === "asc" ? ArrowUp : ArrowDown;
  return (
    <th
      scope="col"
      aria-sort={active ? (order === "asc" ? "ascending" : "descending") : "none"}
      className={`${TH} ${className}`}
    >
      <button
        type="button"
        onClick={onSort}
        className={`-mx-1.5 inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 uppercase transition-colors hover:bg-surface-muted hover:text-fg ${active ? "text-fg" : ""}`}
      >
        {label}
        <Icon aria-hidden="true" className={`size-3.5 ${active ? "" : "opacity-50"}`} />
      </button>
    </th>
  );
}

/** A segmented control built from real radio buttons, so arrow keys and screen readers just work. */
export function Segmented<Value extends string>({
  legend,
  name,
  value,
  options,
  onChange,
  hideLegend = false,
}: {
  legend: string;
  name: string;
  value: Value;
  options: readonly { value: Value; label: string }[];
  onChange: (value: Value) => void;
  hideLegend?: boolean;
}) {
  return (
    <fieldset className="min-w-0">
      <legend className={hideLegend ? "sr-only" : "mb-1.5 text-sm font-medium text-fg"}>{legend}</legend>
      <div className="inline-flex max-w-full flex-wrap gap-1 rounded-xl border border-border bg-surface-muted p-1">
        {options.map((option) => (
          <label
            key={option.value}
            className="relative cursor-pointer rounded-lg px-3 py-1.5 text-sm font-medium whitespace-nowrap text-fg-muted transition-colors select-none hover:text-fg has-checked:bg-surface has-checked:text-fg has-checked:shadow-sm has-focus-visible:outline-2 has-focus-visible:outline-brand"
          >
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
              // Transparent and stretched over the label: the real radio takes the click and focus.
              className="absolute inset-0 cursor-pointer appearance-none rounded-lg opacity-0"
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
