import type { LucideIcon } from "lucide-react";
import { type ReactNode, useId } from "react";

/** A page's title, with its description and page-wide actions. */
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
  /** An anchor for links to the section (the profile page's table of contents). */
  id?: string;
  icon?: LucideIcon;
  description?: ReactNode;
  /** Controls on the heading's right (filters, downloads). */
  actions?: ReactNode;
  children: ReactNode;
  /** Tables run edge to edge; forms and text get padding. */
  flush?: boolean;
}

/** One card of a page with a heading; its region is named by the heading for screen readers. */
export function Section({
  id,
  icon: Icon,
  title,
  description,
  actions,
  children,
  flush = false,
}: SectionProps) {
  const generatedId = useId();
  const headingId = id ? `${id}-heading` : generatedId;
  return (
    <section
      id={id}
      aria-labelledby={headingId}
      className="min-w-0 scroll-mt-24 overflow-hidden rounded-2xl border border-border bg-surface shadow-sm"
    >
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-border px-5 py-4">
        <div className="flex min-w-0 items-start gap-3">
          {Icon && (
            <span className="grid size-9 shrink-0 place-items-center rounded-lg bg-surface-muted text-fg-muted">
              <Icon aria-hidden="true" className="size-4.5" />
            </span>
          )}
          <div className="min-w-0">
            <h2 id={headingId} className="text-base font-semibold text-fg">
              {title}
            </h2>
            {description && <p className="mt-0.5 text-sm text-fg-muted">{description}</p>}
          </div>
        </div>
        {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
      </div>
      <div className={flush ? "" : "p-5"}>{children}</div>
    </section>
  );
}
