import { Trans } from "@lingui/react/macro";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { formatNumber } from "../../lib/format.ts";
import { Button } from "./Button.tsx";

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
  const firstShown = formatNumber(first);
  const lastShown = formatNumber(last);
  const totalShown = formatNumber(total);
  const pageShown = formatNumber(page);
  const pagesShown = formatNumber(pages);
  return (
    <nav
      aria-label={label}
      className="flex flex-col gap-3 px-5 py-3 text-sm sm:flex-row sm:items-center sm:justify-between"
    >
      <p className="text-fg-muted">
        {total === 0 ? (
          <Trans>Nothing to show</Trans>
        ) : (
          <Trans>
            Showing <span className="font-medium text-fg">{firstShown}</span>–
            <span className="font-medium text-fg">{lastShown}</span> of{" "}
            <span className="font-medium text-fg">{totalShown}</span>
          </Trans>
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
          <Trans>Previous</Trans>
        </Button>
        <span className="px-1 whitespace-nowrap text-fg-muted tabular-nums">
          <Trans>
            Page {pageShown} of {pagesShown}
          </Trans>
        </span>
        <Button
          variant="secondary"
          className="h-9 px-3"
          disabled={page >= pages}
          onClick={() => onPage(page + 1)}
        >
          <Trans>Next</Trans>
          <ChevronRight aria-hidden="true" className="size-4" />
        </Button>
      </div>
    </nav>
  );
}
