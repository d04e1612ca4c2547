import { Gift } from "lucide-react";
import { formatDate, formatDateTime, formatRelative } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { formatNumber } from "./format.ts";
import { QueryError } from "./QueryError.tsx";
import type { Grant } from "./types.ts";
import { EmptyState, LoadingBlock, NUM, Pill, Section, TABLE, TableScroll, TD, TH } from "./ui.tsx";

const SOURCE_LABELS: Record<string, string> = {
  allocate: "Allocation",
  adjust: "Adjustment",
  set: "Balance set",
  refund: "Refund",
};

function sourceLabel(source: string): string {
  return SOURCE_LABELS[source] ?? source.charAt(0).toUpperCase() + source.slice(1);
}

function GrantState({ grant }: { grant: Grant }) {
  if (grant.expired) return <Pill tone="bad">Expired</Pill>;
  if (grant.remaining === 0) return <Pill>Used up</Pill>;
  return <Pill tone="good">Live</Pill>;
}

/** The account's grants: live ones first, soonest-expiring first (the order they are spent in). */
export function GrantsSection({ userId }: { userId: string }) {
  const grants = trpc.admin.credits.grantsOf.useQuery({ userId });

  return (
    <Section title="Grants" description="Credits are spent from the grant that expires soonest." flush>
      {grants.isPending ? (
        <LoadingBlock label="Loading grants…" className="py-10" />
      ) : grants.isError ? (
        <div className="p-5">
          <QueryError
            error={grants.error}
            onRetry={() => void grants.refetch()}
            retrying={grants.isFetching}
            title="Couldn't load grants"
          />
        </div>
      ) : grants.data.length === 0 ? (
        <EmptyState icon={Gift} title="No grants yet">
          Allocating credits creates a grant.
        </EmptyState>
      ) : (
        <TableScroll label="Grants">
          <table className={TABLE}>
            <thead>
              <tr>
                <th scope="col" className={TH}>
                  Granted
                </th>
                <th scope="col" className={TH}>
                  State
                </th>
                <th scope="col" className={`${TH} text-right`}>
                  Remaining
                </th>
                <th scope="col" className={TH}>
                  Expires
                </th>
                <th scope="col" className={TH}>
                  Source
                </th>
                <th scope="col" className={TH}>
                  Notes
                </th>
              </tr>
            </thead>
            <tbody>
              {grants.data.map((grant) => {
                const used = grant.amount > 0 ? (grant.amount - grant.remaining) / grant.amount : 1;
                return (
                  <tr key={grant.id} className={grant.expired || grant.remaining === 0 ? "opacity-70" : ""}>
                    <td className={`${TD} whitespace-nowrap`}>
                      <time dateTime={grant.createdAt.toISOString()} title={formatDateTime(grant.createdAt)}>
                        {formatDate(grant.createdAt)}
                      </time>
                      {grant.grantedBy && (
                        <span className="block text-xs text-fg-muted">by {grant.grantedBy.displayName}</span>
                      )}
                    </td>
                    <td className={TD}>
                      <GrantState grant={grant} />
                    </td>
                    <td className={`${TD} ${NUM}`}>
                      <span className="font-medium">{formatNumber(grant.remaining)}</span>
                      <span className="text-fg-muted"> / {formatNumber(grant.amount)}</span>
                      <span
                        aria-hidden="true"
                        className="mt-1.5 ml-auto block h-1.5 w-24 overflow-hidden rounded-full bg-surface-muted"
                      >
                        <span
                          className="block h-full rounded-full bg-brand"
                          style={{ width: `${Math.round((1 - used) * 100)}%` }}
                        />
                      </span>
                    </td>
                    <td className={`${TD} whitespace-nowrap`}>
                      {grant.expiresAt ? (
                        <time
                          dateTime={grant.expiresAt.toISOString()}
                          title={formatDateTime(grant.expiresAt)}
                        >
                          {formatDate(grant.expiresAt)}
                          <span className="block text-xs text-fg-muted">
                            {formatRelative(grant.expiresAt)}
                          </span>
                        </time>
                      ) : (
                        <span className="text-fg-muted">Never</span>
                      )}
                    </td>
                    <td className={`${TD} whitespace-nowrap`}>{sourceLabel(grant.source)}</td>
                    <td className={`${TD} max-w-64 text-fg-muted`}>
                      <span className="line-clamp-2 break-words" title={grant.notes ?? undefined}>
                        {grant.notes ?? "—"}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Section>
  );
}
