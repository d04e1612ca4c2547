import { Coins } from "lucide-react";
import { Link } from "react-router";
import { formatCredits, formatNumber, formatUsd } from "../lib/format.ts";
import { trpc } from "../lib/trpc.ts";

/**
 * The credits the person can spend, always in view. Refreshed when an answer starts (credits are
 * held) and when it settles; held credits are shown while an answer is being written.
 */
export function BalancePill() {
  const balance = trpc.accounting.balance.useQuery(undefined, { staleTime: 10_000 });

  if (balance.isPending) {
    return (
      <span
        role="status"
        aria-label="Loading your balance"
        className="h-9 w-28 animate-pulse rounded-full bg-surface-muted motion-reduce:animate-none"
      />
    );
  }
  if (!balance.data) {
    return (
      <button
        type="button"
        onClick={() => void balance.refetch()}
        className="inline-flex h-9 items-center gap-1.5 rounded-full border border-border px-3 text-xs font-medium text-fg-muted hover:bg-surface-muted"
      >
        <Coins aria-hidden="true" className="size-4" />
        Balance unavailable · Retry
      </button>
    );
  }

  const { available, held } = balance.data;
  const empty = available === 0;
  // The accessible name is the visible text plus screen-reader-only words: "Balance: 4,980 credits
  // available, 20 held". At phone width the words are hidden visually but still read.
  return (
    <Link
      to="/profile#credits"
      title={`${formatCredits(available)} available · ${formatCredits(held)} held (${formatUsd(available)}). 1 credit = $0.00001`}
      data-available={available}
      data-held={held}
      className={`inline-flex h-9 items-center gap-2 rounded-full border px-3 text-sm transition-colors ${
        empty
          ? "border-danger/40 bg-danger-soft text-danger hover:border-danger/60"
          : "border-border bg-surface text-fg hover:bg-surface-muted"
      }`}
    >
      <Coins aria-hidden="true" className={`size-4 ${empty ? "text-danger" : "text-brand-text"}`} />
      <span>
        <span className="sr-only">Balance: </span>
        <span className="font-semibold tabular-nums">{formatNumber(available)}</span>{" "}
        <span className={`sr-only sm:not-sr-only ${empty ? "" : "text-fg-muted"}`}>credits</span>
        <span className="sr-only"> available</span>
      </span>
      {held > 0 && (
        <span className="sr-only border-l border-border pl-2 text-xs text-fg-muted tabular-nums sm:not-sr-only">
          <span className="sr-only">, </span>
          {formatNumber(held)} held
        </span>
      )}
    </Link>
  );
}
