import { ChevronLeft, ChevronRight, ReceiptText, RefreshCw } from "lucide-react";
import { useId, useState } from "react";
import type { LedgerEntry, LedgerEntryType } from "../../lib/api-types.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { Alert } from "../Alert.tsx";
import { Button } from "../Button.tsx";
import { ScrollArea } from "../ScrollArea.tsx";
import { Spinner } from "../Spinner.tsx";
import { Section, SelectField } from "./Section.tsx";

const PAGE_SIZE = 10;

const TYPE_LABELS: Record<LedgerEntryType, string> = {
  allocate: "Credits added",
  set: "Balance set",
  adjust: "Adjustment",
  remove: "Credits removed",
  reserve: "Held for an answer",
  capture: "Charged",
  release: "Hold released",
  expire: "Credits expired",
  refund: "Refund",
};

const FILTERS: { value: string; label: string }[] = [
  { value: "", label: "All entries" },
  ...Object.entries(TYPE_LABELS).map(([value, label]) => ({ value, label })),
];

function isEntryType(value: string): value is LedgerEntryType {
  return value in TYPE_LABELS;
}

function signed(value: number): string {
  if (value === 0) return "0";
  return `${value > 0 ? "+" : "−"}${formatNumber(Math.abs(value))}`;
}

function detailOf(entry: LedgerEntry): string {
  const parts = [
    entry.notes,
    entry.actor ? `by ${entry.actor.displayName} (${entry.actor.email})` : null,
  ].filter(Boolean);
  return parts.join(" · ") || "—";
}

/** The account's ledger, newest first, a page at a time. */
export function LedgerSection() {
  const id = useId();
  const [page, setPage] = useState(1);
  const [type, setType] = useState<LedgerEntryType | "">("");
  const history = trpc.accounting.history.useQuery(
    { page, size: PAGE_SIZE, ...(type ? { type } : {}) },
    { placeholderData: (previous) => previous },
  );
  const data = history.data;

  return (
    <Section
      id="ledger"
      icon={ReceiptText}
      title="Credit history"
      description="Every movement of your credits: additions, holds while an answer is written, and charges."
      actions={
        <SelectField
          id={`${id}-type`}
          label="Show"
          value={type}
          onChange={(value) => {
            setType(isEntryType(value) ? value : "");
            setPage(1);
          }}
          options={FILTERS}
        />
      }
    >
      {history.isPending ? (
        <div role="status" aria-label="Loading credit history" className="space-y-2">
          {[0, 1, 2, 3].map((i) => (
            <div
              key={i}
              className="h-10 animate-pulse rounded-lg bg-surface-muted motion-reduce:animate-none"
            />
          ))}
        </div>
      ) : history.isError && !data ? (
        <div className="space-y-3">
          <Alert title="Couldn't load your credit history">{errorMessage(history.error)}</Alert>
          <Button
            variant="secondary"
            loading={history.isFetching}
            icon={<RefreshCw aria-hidden="true" className="size-4" />}
            onClick={() => void history.refetch()}
          >
            Try again
          </Button>
        </div>
      ) : data && data.items.length === 0 ? (
        <p className="rounded-lg bg-surface-muted px-4 py-6 text-center text-sm text-fg-muted">
          {type ? "No entries of this kind yet." : "No credit movements yet."}
        </p>
      ) : data ? (
        <>
          <ScrollArea
            aria-label="Credit history table"
            className="-mx-5 overflow-x-auto sm:mx-0"
            aria-busy={history.isFetching || undefined}
          >
            <table className="w-full min-w-[36rem] text-sm">
              <caption className="sr-only">
                Credit history, page {data.page} of {data.pages}
              </caption>
              <thead>
                <tr className="border-b border-border text-left text-xs font-semibold tracking-wide text-fg-muted uppercase">
                  <th scope="col" className="px-5 py-2 sm:pl-0">
                    Date
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Entry
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Credits
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Held
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Balance
                  </th>
                  <th scope="col" className="px-5 py-2 sm:pr-0">
                    Details
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((entry) => (
                  <tr key={entry.id} className="border-b border-border last:border-b-0">
                    <td className="px-5 py-2.5 whitespace-nowrap text-fg-muted sm:pl-0">
                      <time dateTime={entry.createdAt.toISOString()}>{formatDateTime(entry.createdAt)}</time>
                    </td>
                    <td className="px-3 py-2.5 font-medium whitespace-nowrap text-fg">
                      {TYPE_LABELS[entry.type]}
                    </td>
                    <td
                      className={`px-3 py-2.5 text-right font-semibold tabular-nums ${
                        entry.amount > 0
                          ? "text-emerald-700 dark:text-emerald-400"
                          : entry.amount < 0
                            ? "text-danger"
                            : "text-fg-muted"
                      }`}
                    >
                      {signed(entry.amount)}
                    </td>
                    <td className="px-3 py-2.5 text-right text-fg-muted tabular-nums">
                      {signed(entry.heldDelta)}
                    </td>
                    <td className="px-3 py-2.5 text-right text-fg tabular-nums">
                      {formatNumber(entry.balanceAfter)}
                    </td>
                    <td
                      className="max-w-56 truncate px-5 py-2.5 text-fg-muted sm:pr-0"
                      title={detailOf(entry)}
                    >
                      {detailOf(entry)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
          <nav aria-label="Credit history pages" className="mt-4 flex items-center justify-between gap-3">
            <p className="flex items-center gap-2 text-sm text-fg-muted">
              {history.isFetching && <Spinner className="size-3.5" />}
              Page {data.page} of {data.pages} · {formatNumber(data.total)}{" "}
              {data.total === 1 ? "entry" : "entries"}
            </p>
            <div className="flex gap-2">
              <Button
                variant="secondary"
                className="h-9 px-3"
                disabled={page <= 1 || history.isFetching}
                onClick={() => setPage((p) => Math.max(1, p - 1))}
                icon={<ChevronLeft aria-hidden="true" className="size-4" />}
              >
                Previous
              </Button>
              <Button
                variant="secondary"
                className="h-9 px-3"
                disabled={page >= data.pages || history.isFetching}
                onClick={() => setPage((p) => p + 1)}
              >
                Next
                <ChevronRight aria-hidden="true" className="size-4" />
              </Button>
            </div>
          </nav>
        </>
      ) : null}
    </Section>
  );
}
