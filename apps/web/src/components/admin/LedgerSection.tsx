import { keepPreviousData } from "@tanstack/react-query";
import { ScrollText } from "lucide-react";
import { useState } from "react";
import { formatDateTime } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { formatNumber, formatSigned } from "./format.ts";
import { Pagination } from "./Pagination.tsx";
import { QueryError } from "./QueryError.tsx";
import { isLedgerType, LEDGER_TYPE_LABELS, LEDGER_TYPES, type LedgerType } from "./types.ts";
import {
  EmptyState,
  LoadingBlock,
  NUM,
  Pill,
  Section,
  SelectField,
  TABLE,
  TableScroll,
  TD,
  TH,
} from "./ui.tsx";

const PAGE_SIZE = 20;

function Signed({ value }: { value: number }) {
  if (value === 0) return <span className="text-fg-muted">0</span>;
  return (
    <span className={value > 0 ? "text-emerald-700 dark:text-emerald-300" : "text-danger"}>
      {formatSigned(value)}
    </span>
  );
}

const TYPE_TONE: Partial<Record<LedgerType, "good" | "bad" | "brand">> = {
  allocate: "good",
  refund: "good",
  remove: "bad",
  expire: "bad",
  capture: "brand",
};

/** The account's ledger, newest first: every movement with its actor and notes. */
export function LedgerSection({ userId }: { userId: string }) {
  const [page, setPage] = useState(1);
  const [type, setType] = useState<LedgerType | undefined>(undefined);
  const history = trpc.admin.credits.historyOf.useQuery(
    { userId, page, size: PAGE_SIZE, ...(type ? { type } : {}) },
    { placeholderData: keepPreviousData },
  );

  return (
    <Section
      title="Ledger"
      description="Every movement of this account's credits, newest first."
      flush
      actions={
        <SelectField
          label="Type"
          className="w-44 [&_label]:sr-only"
          value={type ?? ""}
          onChange={(event) => {
            setType(isLedgerType(event.target.value) ? event.target.value : undefined);
            setPage(1);
          }}
        >
          <option value="">All types</option>
          {LEDGER_TYPES.map((value) => (
            <option key={value} value={value}>
              {LEDGER_TYPE_LABELS[value]}
            </option>
          ))}
        </SelectField>
      }
    >
      {history.isPending ? (
        <LoadingBlock label="Loading ledger…" className="py-10" />
      ) : history.isError && !history.data ? (
        <div className="p-5">
          <QueryError
            error={history.error}
            onRetry={() => void history.refetch()}
            retrying={history.isFetching}
            title="Couldn't load the ledger"
          />
        </div>
      ) : history.data.items.length === 0 ? (
        <EmptyState icon={ScrollText} title={type ? "No entries of this type" : "No ledger entries yet"}>
          Allocations, charges and expiries will show up here.
        </EmptyState>
      ) : (
        <div aria-busy={history.isFetching || undefined}>
          <TableScroll label="Ledger entries">
            <table className={TABLE}>
              <thead>
                <tr>
                  <th scope="col" className={TH}>
                    When
                  </th>
                  <th scope="col" className={TH}>
                    Type
                  </th>
                  <th scope="col" className={`${TH} text-right`}>
                    Amount
                  </th>
                  <th scope="col" className={`${TH} text-right`}>
                    Held
                  </th>
                  <th scope="col" className={`${TH} text-right`}>
                    Balance after
                  </th>
                  <th scope="col" className={TH}>
                    By
                  </th>
                  <th scope="col" className={TH}>
                    Notes
                  </th>
                </tr>
              </thead>
              <tbody>
                {history.data.items.map((entry) => (
                  <tr key={entry.id}>
                    <td className={`${TD} whitespace-nowrap text-fg-muted`}>
                      <time dateTime={entry.createdAt.toISOString()}>{formatDateTime(entry.createdAt)}</time>
                    </td>
                    <td className={TD}>
                      <Pill tone={TYPE_TONE[entry.type] ?? "neutral"}>{LEDGER_TYPE_LABELS[entry.type]}</Pill>
                    </td>
                    <td className={`${TD} ${NUM} font-medium`}>
                      <Signed value={entry.amount} />
                    </td>
                    <td className={`${TD} ${NUM} text-fg-muted`}>
                      {entry.heldDelta === 0 ? "—" : formatSigned(entry.heldDelta)}
                    </td>
                    <td className={`${TD} ${NUM}`}>
                      {formatNumber(entry.balanceAfter)}
                      {entry.heldAfter > 0 && (
                        <span className="block text-xs text-fg-muted">
                          {formatNumber(entry.heldAfter)} held
                        </span>
                      )}
                    </td>
                    <td className={`${TD} whitespace-nowrap`}>
                      {entry.actor ? (
                        <>
                          {entry.actor.displayName}
                          <span className="block text-xs text-fg-muted">{entry.actor.email}</span>
                        </>
                      ) : (
                        <span className="text-fg-muted">System</span>
                      )}
                    </td>
                    <td className={`${TD} max-w-64 text-fg-muted`}>
                      <span className="line-clamp-2 break-words" title={entry.notes ?? undefined}>
                        {entry.notes ?? "—"}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <Pagination
            label="Ledger pages"
            page={history.data.page}
            pages={history.data.pages}
            size={history.data.size}
            total={history.data.total}
            onPage={setPage}
          />
        </div>
      )}
    </Section>
  );
}
