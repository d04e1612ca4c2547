import { i18n } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { useLingui } from "@lingui/react/macro";
import { Link } from "react-router";
import { formatDateTime, formatDuration, formatNumber, formatUsd } from "../../lib/format.ts";
import { type Column, DataTable } from "../ui/DataTable.tsx";
import type { Reservation } from "./types.ts";
import type { UserName } from "./use-user-names.ts";

interface LiveSessionsTableProps {
  sessions: readonly Reservation[];
  modelNames: ReadonlyMap<string, string>;
  /** Names of the users; leave out on a page about a single user (no user column then). */
  userNames?: ReadonlyMap<string, UserName>;
  now: number;
}

/** Open reservations: who is streaming which model, what it holds, and for how long. */
function tokensInOut(inputTokens: number, outputTokens: number): string {
  const inputShown = formatNumber(inputTokens);
  const outputShown = formatNumber(outputTokens);
  return i18n._(msg`${inputShown} in · ${outputShown} out`);
}

function startedAt(date: Date): string {
  const at = formatDateTime(date);
  return i18n._(msg`Started ${at}`);
}

export function LiveSessionsTable({ sessions, modelNames, userNames, now }: LiveSessionsTableProps) {
  const { t } = useLingui();
  const userColumn: Column<Reservation> = {
    header: t`User`,
    cell: (session) => {
      const name = userNames?.get(session.userId);
      return (
        <>
          <Link
            to={`/admin/users/${session.userId}`}
            className="font-medium text-fg underline-offset-2 hover:text-brand-text hover:underline"
          >
            {name?.displayName ?? i18n._(msg`Loading…`)}
          </Link>
          {name && <p className="text-xs text-fg-muted">{name.email}</p>}
        </>
      );
    },
  };
  const columns: Column<Reservation>[] = [
    ...(userNames ? [userColumn] : []),
    {
      header: t`Model`,
      cell: (session) => (
        <>
          <p className="font-medium">{modelNames.get(session.modelId) ?? session.modelId}</p>
          <p className="font-mono text-xs text-fg-muted">{session.modelId}</p>
        </>
      ),
    },
    {
      header: t`Held credits`,
      numeric: true,
      cell: (session) => (
        <>
          <p className="font-medium">{formatNumber(session.held)}</p>
          <p className="text-xs text-fg-muted">{formatUsd(session.held)}</p>
        </>
      ),
    },
    {
      header: t`Estimated tokens`,
      numeric: true,
      className: "whitespace-nowrap",
      cell: (session) => tokensInOut(session.estimatedTokens.input, session.estimatedTokens.output),
    },
    {
      header: t`Age`,
      numeric: true,
      className: "whitespace-nowrap",
      cell: (session) => (
        <time dateTime={session.createdAt.toISOString()} title={startedAt(session.createdAt)}>
          {formatDuration(now - session.createdAt.getTime())}
        </time>
      ),
    },
    {
      header: t`Released in`,
      numeric: true,
      className: "whitespace-nowrap text-fg-muted",
      cell: (session) => {
        const expiresIn = session.expiresAt.getTime() - now;
        return (
          <time dateTime={session.expiresAt.toISOString()} title={formatDateTime(session.expiresAt)}>
            {expiresIn > 0 ? formatDuration(expiresIn) : i18n._(msg`any moment`)}
          </time>
        );
      },
    },
  ];
  return (
    <DataTable
      label={t`Open sessions`}
      columns={columns}
      rows={sessions}
      rowKey={(session) => session.sessionId}
    />
  );
}
