import { Trans, useLingui } from "@lingui/react/macro";
import { ChevronRight } from "lucide-react";
import { Fragment, type ReactNode, useState } from "react";
import { Pagination } from "./Pagination.tsx";
import { NUM, SortableHeader, TABLE, TableScroll, TD, TH } from "./table.tsx";

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  numeric?: boolean;
  /** The header is read by screen readers only (an actions column). */
  hideHeader?: boolean;
  /** Extra classes for the column's cells. */
  className?: string;
  /** Makes the header a sort button. */
  sort?: { active: boolean; order: "asc" | "desc"; onSort: () => void };
}

export interface TablePage {
  page: number;
  pages: number;
  size: number;
  total: number;
}

interface DataTableProps<Row> {
  /** Names the scrollable region and the table. */
  label: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  rowClassName?: (row: Row) => string;
  /** A paged list: a footer shows where this page is and moves between pages. */
  page?: TablePage & { onPage: (page: number) => void };
  /** A newer page or filter is loading; the rows shown are the previous ones. */
  busy?: boolean;
  /** Rows with more to say open a detail row under them; null for rows without one. */
  detail?: (row: Row) => ReactNode | null;
  /** On a phone each row becomes a card of label and value pairs, so nothing scrolls sideways. */
  stackOnPhone?: boolean;
}

const STACK_TABLE = "max-sm:block max-sm:min-w-0 [&_tbody]:max-sm:block";
const STACK_ROW = "max-sm:block max-sm:border-b max-sm:border-border max-sm:py-2";
const STACK_CELL =
  "max-sm:flex max-sm:items-start max-sm:justify-between max-sm:gap-4 max-sm:border-0 max-sm:py-1.5 max-sm:text-right max-sm:before:shrink-0 max-sm:before:text-left max-sm:before:text-xs max-sm:before:font-semibold max-sm:before:text-fg-muted max-sm:before:uppercase max-sm:before:content-[attr(data-label)]";

/** The one table of the SPA: labelled, scrollable, optionally paged, sortable and expandable. */
export function DataTable<Row>({
  label,
  columns,
  rows,
  rowKey,
  rowClassName,
  page,
  busy = false,
  detail,
  stackOnPhone = false,
}: DataTableProps<Row>) {
  const { t } = useLingui();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string) =>
    setOpen((previous) => {
      const next = new Set(previous);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const span = columns.length + (detail ? 1 : 0);

  return (
    <>
      <TableScroll label={label}>
        <table className={`${TABLE} ${stackOnPhone ? STACK_TABLE : ""}`} aria-busy={busy || undefined}>
          <caption className="sr-only">{label}</caption>
          <thead className={stackOnPhone ? "max-sm:sr-only" : ""}>
            <tr>
              {detail && (
                <th scope="col" className={`${TH} w-10`}>
                  <span className="sr-only">
                    <Trans>Details</Trans>
                  </span>
                </th>
              )}
              {columns.map((column) =>
                column.sort ? (
                  <SortableHeader
                    key={column.header}
                    label={column.header}
                    {...column.sort}
                    className={column.numeric ? "text-right" : ""}
                  />
                ) : (
                  <th
                    key={column.header}
                    scope="col"
                    className={`${TH} ${column.numeric ? "text-right" : ""}`}
                  >
                    {column.hideHeader ? <span className="sr-only">{column.header}</span> : column.header}
                  </th>
                ),
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const key = rowKey(row);
              const more = detail?.(row) ?? null;
              const isOpen = more !== null && open.has(key);
              return (
                <Fragment key={key}>
                  <tr
                    className={`transition-colors hover:bg-surface-muted/50 ${stackOnPhone ? STACK_ROW : ""} ${rowClassName?.(row) ?? ""}`}
                  >
                    {detail && (
                      <td className={`${TD} w-10 ${stackOnPhone ? STACK_CELL : ""}`}>
                        {more !== null && (
                          <button
                            type="button"
                            aria-expanded={isOpen}
                            aria-label={isOpen ? t`Hide details` : t`Show details`}
                            onClick={() => toggle(key)}
                            className="-m-1.5 grid size-7 place-items-center rounded-md text-fg-muted hover:bg-surface-muted hover:text-fg"
                          >
                            <ChevronRight
                              aria-hidden="true"
                              className={`size-4 transition-transform ${isOpen ? "rotate-90" : ""}`}
                            />
                          </button>
                        )}
                      </td>
                    )}
                    {columns.map((column) => (
                      <td
                        key={column.header}
                        data-label={column.hideHeader ? undefined : column.header}
                        className={`${TD} ${column.numeric ? NUM : ""} ${stackOnPhone ? STACK_CELL : ""} ${column.className ?? ""}`}
                      >
                        {column.cell(row)}
                      </td>
                    ))}
                  </tr>
                  {isOpen && (
                    <tr className={stackOnPhone ? STACK_ROW : ""}>
                      <td
                        colSpan={span}
                        className={`${TD} bg-surface-muted/40 ${stackOnPhone ? "max-sm:block" : ""}`}
                      >
                        {more}
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      {page && (
        <Pagination
          label={t`${label} pages`}
          page={page.page}
          pages={page.pages}
          size={page.size}
          total={page.total}
          onPage={page.onPage}
        />
      )}
    </>
  );
}
