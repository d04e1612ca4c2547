import { i18n } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans } from "@lingui/react/macro";
import { translatedRecord } from "../../i18n/translated-record.ts";
import type { LedgerEntry, LedgerRow } from "../../lib/api-types.ts";
import { formatDateTime, formatNumber, formatSigned } from "../../lib/format.ts";
import { Pill } from "../ui/badges.tsx";
import { type Column, DataTable, type TablePage } from "../ui/DataTable.tsx";
import { LEDGER_TYPE_LABELS, LEDGER_TYPE_TONE } from "./ledger-types.ts";

interface LedgerTableProps {
  label: string;
  rows: readonly LedgerRow[];
  page: TablePage & { onPage: (page: number) => void };
  busy: boolean;
  /** A model's display name, for answer rows. */
  modelName?: (modelId: string) => string;
}

function Signed({ value }: { value: number }) {
  if (value === 0) return <span className="text-fg-muted">0</span>;
  return (
    <span className={value > 0 ? "text-emerald-700 dark:text-emerald-300" : "text-danger"}>
      {formatSigned(value)}
    </span>
  );
}

const ANSWER_STATE = translatedRecord<string>({
  reserve: msg`Being written`,
  capture: msg`Charged`,
  release: msg`Nothing charged`,
});

function EntryCell({ row, modelName }: { row: LedgerRow; modelName: (modelId: string) => string }) {
  if (row.kind === "movement") {
    return <Pill tone={LEDGER_TYPE_TONE[row.type] ?? "neutral"}>{LEDGER_TYPE_LABELS[row.type]}</Pill>;
  }
  return (
    <>
      <Pill tone={row.type === "capture" ? "brand" : "neutral"}>
        <Trans>Answer</Trans>
      </Pill>
      <span className="mt-1 block text-xs text-fg-muted">
        {row.modelId ? `${modelName(row.modelId)} · ` : ""}
        {ANSWER_STATE[row.type] ?? LEDGER_TYPE_LABELS[row.type]}
      </span>
    </>
  );
}

/** An answer's own entries: what was held while it was written, what it cost, what was given back. */
function AnswerEntries({ entries }: { entries: readonly LedgerEntry[] }) {
  return (
    <ul className="space-y-1 text-sm">
      {entries.map((entry) => (
        <li key={entry.id} className="flex flex-wrap items-baseline justify-between gap-x-4">
          <span className="text-fg">
            {LEDGER_TYPE_LABELS[entry.type]}{" "}
            <time className="text-xs text-fg-muted" dateTime={entry.createdAt.toISOString()}>
              {formatDateTime(entry.createdAt)}
            </time>
          </span>
          <span className="tabular-nums">
            <Signed value={entry.amount} />
            {entry.heldDelta !== 0 && (
              <span className="ml-2 text-xs text-fg-muted">held {formatSigned(entry.heldDelta)}</span>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

function columns(modelName: (modelId: string) => string): Column<LedgerRow>[] {
  return [
    {
      header: i18n._(msg`When`),
      className: "whitespace-nowrap text-fg-muted",
      cell: (row) => <time dateTime={row.createdAt.toISOString()}>{formatDateTime(row.createdAt)}</time>,
    },
    { header: i18n._(msg`Entry`), cell: (row) => <EntryCell row={row} modelName={modelName} /> },
    {
      header: i18n._(msg`Credits`),
      numeric: true,
      className: "font-medium",
      cell: (row) => <Signed value={row.amount} />,
    },
    {
      header: i18n._(msg`Held`),
      numeric: true,
      className: "text-fg-muted",
      cell: (row) => {
        const held = row.entries.reduce((sum, entry) => sum + entry.heldDelta, 0);
        return held === 0 ? "—" : formatSigned(held);
      },
    },
    {
      header: i18n._(msg`Balance after`),
      numeric: true,
      cell: (row) => (
        <>
          {formatNumber(row.balanceAfter)}
          {row.heldAfter > 0 && (
            <span className="block text-xs text-fg-muted">{formatNumber(row.heldAfter)} held</span>
          )}
        </>
      ),
    },
    {
      header: i18n._(msg`By`),
      className: "whitespace-nowrap",
      cell: (row) => {
        const actor = row.kind === "movement" ? row.entries[0]?.actor : null;
        if (!actor) return <span className="text-fg-muted">{row.kind === "answer" ? "You" : "System"}</span>;
        return (
          <>
            {actor.displayName}
            <span className="block text-xs text-fg-muted">{actor.email}</span>
          </>
        );
      },
    },
    {
      header: i18n._(msg`Notes`),
      className: "max-w-64 text-fg-muted",
      cell: (row) => {
        const notes = row.entries.find((entry) => entry.notes)?.notes ?? null;
        return (
          <span className="line-clamp-2 break-words" title={notes ?? undefined}>
            {notes ?? "—"}
          </span>
        );
      },
    },
  ];
}

/**
 * The one ledger table: the admin's full ledger (a row per entry) and a person's own history
 * (a row per answer, its hold, charge and release on expand) are both lists of rows.
 */
export function LedgerTable({ label, rows, page, busy, modelName = (id) => id }: LedgerTableProps) {
  return (
    <DataTable
      label={label}
      columns={columns(modelName)}
      rows={rows}
      rowKey={(row) => row.key}
      page={page}
      busy={busy}
      stackOnPhone
      detail={(row) => (row.kind === "answer" ? <AnswerEntries entries={row.entries} /> : null)}
    />
  );
}
