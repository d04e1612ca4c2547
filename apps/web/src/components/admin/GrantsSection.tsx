import { i18n } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { Gift } from "lucide-react";
import { translatedRecord } from "../../i18n/translated-record.ts";
import { formatDate, formatDateTime, formatNumber, formatRelative } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { Pill } from "../ui/badges.tsx";
import { type Column, DataTable } from "../ui/DataTable.tsx";
import { QueryError } from "../ui/QueryError.tsx";
import { Section } from "../ui/Section.tsx";
import { EmptyState, LoadingBlock } from "../ui/states.tsx";
import type { Grant } from "./types.ts";

const SOURCE_LABELS = translatedRecord<string>({
  allocate: msg`Allocation`,
  adjust: msg`Adjustment`,
  set: msg`Balance set`,
  refund: msg`Refund`,
});

function grantedBy(name: string): string {
  return i18n._(msg`by ${name}`);
}

function sourceLabel(source: string): string {
  return SOURCE_LABELS[source] ?? source.charAt(0).toUpperCase() + source.slice(1);
}

function GrantState({ grant }: { grant: Grant }) {
  if (grant.expired)
    return (
      <Pill tone="bad">
        <Trans>Expired</Trans>
      </Pill>
    );
  if (grant.remaining === 0)
    return (
      <Pill>
        <Trans>Used up</Trans>
      </Pill>
    );
  return (
    <Pill tone="good">
      <Trans>Live</Trans>
    </Pill>
  );
}

/** A function, so the headers are read in the language active when shown. */
function grantColumns(): Column<Grant>[] {
  return [
    {
      header: i18n._(msg`Granted`),
      className: "whitespace-nowrap",
      cell: (grant) => (
        <>
          <time dateTime={grant.createdAt.toISOString()} title={formatDateTime(grant.createdAt)}>
            {formatDate(grant.createdAt)}
          </time>
          {grant.grantedBy && (
            <span className="block text-xs text-fg-muted">{grantedBy(grant.grantedBy.displayName)}</span>
          )}
        </>
      ),
    },
    { header: i18n._(msg`State`), cell: (grant) => <GrantState grant={grant} /> },
    {
      header: i18n._(msg`Remaining`),
      numeric: true,
      cell: (grant) => {
        const used = grant.amount > 0 ? (grant.amount - grant.remaining) / grant.amount : 1;
        return (
          <>
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
          </>
        );
      },
    },
    {
      header: i18n._(msg`Expires`),
      className: "whitespace-nowrap",
      cell: (grant) =>
        grant.expiresAt ? (
          <time dateTime={grant.expiresAt.toISOString()} title={formatDateTime(grant.expiresAt)}>
            {formatDate(grant.expiresAt)}
            <span className="block text-xs text-fg-muted">{formatRelative(grant.expiresAt)}</span>
          </time>
        ) : (
          <span className="text-fg-muted">
            <Trans>Never</Trans>
          </span>
        ),
    },
    {
      header: i18n._(msg`Source`),
      className: "whitespace-nowrap",
      cell: (grant) => sourceLabel(grant.source),
    },
    {
      header: i18n._(msg`Notes`),
      className: "max-w-64 text-fg-muted",
      cell: (grant) => (
        <span className="line-clamp-2 break-words" title={grant.notes ?? undefined}>
          {grant.notes ?? "—"}
        </span>
      ),
    },
  ];
}

/** The account's grants: live ones first, soonest-expiring first (the order they are spent in). */
export function GrantsSection({ userId }: { userId: string }) {
  const { t } = useLingui();
  const grants = trpc.admin.credits.grantsOf.useQuery({ userId });

  return (
    <Section title={t`Grants`} description={t`Credits are spent from the grant that expires soonest.`} flush>
      {grants.isPending ? (
        <LoadingBlock label={t`Loading grants…`} className="py-10" />
      ) : grants.isError ? (
        <div className="p-5">
          <QueryError query={grants} title={t`Couldn't load grants`} />
        </div>
      ) : grants.data.length === 0 ? (
        <EmptyState icon={Gift} title={t`No grants yet`}>
          <Trans>Allocating credits creates a grant.</Trans>
        </EmptyState>
      ) : (
        <DataTable
          label={t`Grants`}
          columns={grantColumns()}
          rows={grants.data}
          rowKey={(grant) => grant.id}
          rowClassName={(grant) => (grant.expired || grant.remaining === 0 ? "opacity-70" : "")}
        />
      )}
    </Section>
  );
}
