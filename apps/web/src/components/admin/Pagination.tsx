import { ChevronLeft, ChevronRight } from "lucide-react";
import { Button } from "../Button.tsx";
import { formatNumber } from "./format.ts";

interface PaginationProps {
  /** Names the navigation landmark, e.g. "Users pages". */
  label: string;
  page: number;
  pages: number;
  size: number;
  total: number;
  onPage: (page: number) => void;
}

export function Pagination({ label, page, pages, size, total, onPage }: PaginationProps) {
  const first = total === 0 ? 0 : (page - 1) * size + 1;
  const last = Math.min(total, page * size);
  return (
    <nav
      aria-label={label}
      className="flex flex-col gap-3 px-5 py-3 text-sm sm:flex-row sm:items-center sm:justify-between"
    >
      <p className="text-fg-muted">
        {total === 0 ? (
          "Nothing to show"
        ) : (
          <>
            Showing <span className="font-medium text-fg">{formatNumber(first)}</span>–
            <span className="font-medium text-fg">{formatNumber(last)}</span> of{" "}
            <span className="font-medium text-fg">{formatNumber(total)}</span>
          </>
        )}
      </p>
      <div className="flex items-center gap-2">
        <Button
          variant="secondary"
          className="h-9 px-3"
          disabled={page <= 1}
          onClick={() => onPage(page - 1)}
          icon={<ChevronLeft aria-hidden="true" className="size-4" />}
        >
          Previous
        </Button>
        <span className="px-1 whitespace-nowrap text-fg-muted tabular-nums">
          Page {formatNumber(page)} of {formatNumber(pages)}
        </span>
        <Button
          variant="secondary"
          className="h-9 px-3"
          disabled={page >= pages}
          onClick={() => onPage(page + 1)}
        >
          Next
          <ChevronRight aria-hidden="true" className="size-4" />
        </Button>
      </div>
    </nav>
  );
}
