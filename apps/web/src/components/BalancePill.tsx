import { Trans, useLingui } from "@lingui/react/macro";
import { Coins } from "lucide-react";
import { Link } from "react-router";
import { formatCredits, formatNumber, formatUsd } from "../lib/format.ts";
import { trpc } from "../lib/trpc.ts";

/**
 * The credits the person can spend, always in view. Refreshed when an answer starts (credits are
 * held) and when it settles; held credits are shown while an answer is being written.
 */
export function BalancePill() {
  const { t } = useLingui();
  const balance = trpc.accounting.balance.useQuery(undefined, { staleTime: 10_000 });

  if (balance.isPending) {
    return (
      <span
        role="status"
        aria-label={t`Loading your balance`}
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
        <Trans>Balance unavailable · Retry</Trans>
      </button>
    );
  }

  const { available, held } = balance.data;
  const empty = available === 0;
  const availableCredits = formatCredits(available);
  const heldCount = formatNumber(held);
  const heldCredits = formatCredits(held);
  const availableUsd = formatUsd(available);
  // The accessible name is the visible text plus screen-reader-only words: "Balance: 4,980 credits
  // available, 20 held". At phone width the words are hidden visually but still read.
  return (
    <Link
      to="/profile#credits"
      title={t`${availableCredits} available · ${heldCredits} held (${availableUsd}). 1 credit = $0.00001`}
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
        <span className="sr-only">
          <Trans>Balance: {availableCredits} available</Trans>
        </span>
        <span aria-hidden="true">
          <span className="font-semibold tabular-nums">{formatNumber(available)}</span>{" "}
          <span className={`hidden sm:inline ${empty ? "" : "text-fg-muted"}`}>
            <Trans>credits</Trans>
          </span>
        </span>
      </span>
      {held > 0 && (
        <span className="sr-only border-l border-border pl-2 text-xs text-fg-muted tabular-nums sm:not-sr-only">
          <span className="sr-only">, </span>
          <Trans>{heldCount} held</Trans>
        </span>
      )}
    </Link>
  );
}
