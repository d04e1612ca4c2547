import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import type { ReactNode } from "react";

/** Table cell styles shared by every admin table. */
export const TABLE = "w-full min-w-max border-collapse text-left text-sm";
export const TH =
  "border-b border-border bg-surface-muted/60 px-4 py-2.5 text-xs font-semibold tracking-wide whitespace-nowrap text-fg-muted uppercase";
export const TD = "border-b border-border px-4 py-3 align-middle text-fg";
export const NUM = "text-right tabular-nums";

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
