import { Activity, Coins, Pause, Play, Radio, UsersRound } from "lucide-react";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { type Column, DataTable } from "../../components/admin/DataTable.tsx";
import { creditsToUsd, formatNumber } from "../../components/admin/format.ts";
import { LiveSessionsTable } from "../../components/admin/LiveSessionsTable.tsx";
import { QueryError } from "../../components/admin/QueryError.tsx";
import { RequireAdmin } from "../../components/admin/RequireAdmin.tsx";
import type { Reservation } from "../../components/admin/types.ts";
import { EmptyState, LoadingBlock, PageHeader, Pill, Section, StatCard } from "../../components/admin/ui.tsx";
import { useNow } from "../../components/admin/use-now.ts";
import { type UserName, useUserNames } from "../../components/admin/use-user-names.ts";
import { Button } from "../../components/Button.tsx";
import { formatDateTime, formatRelative } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

const REFRESH_MS = 2000;
const RECENT_SHOWN = 10;

export function LivePage() {
  return (
    <RequireAdmin reason="The live view of everyone's sessions is for admins.">
      <LiveSessions />
    </RequireAdmin>
  );
}

function LiveSessions() {
  useDocumentTitle("Live sessions");
  const [paused, setPaused] = useState(false);
  const now = useNow();
  const interval = paused ? false : REFRESH_MS;
  const active = trpc.admin.streaming.active.useQuery({}, { refetchInterval: interval, staleTime: 0 });
  const recent = trpc.admin.streaming.recent.useQuery(
    { limit: 50 },
    { refetchInterval: paused ? false : REFRESH_MS * 2.5, staleTime: 0 },
  );
  const models = trpc.admin.pricing.list.useQuery();
  const modelNames = useMemo(
    () => new Map((models.data ?? []).map((model) => [model.modelId, model.displayName])),
    [models.data],
  );
  const finished = (recent.data ?? []).filter((session) => session.status !== "open").slice(0, RECENT_SHOWN);
  const sessions = active.data ?? [];
  const userNames = useUserNames([...sessions, ...finished].map((session) => session.userId));
  const held = sessions.reduce((sum, session) => sum + session.held, 0);
  const streamingUsers = new Set(sessions.map((session) => session.userId)).size;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Live sessions"
        description="Model calls in progress right now and the credits they hold until they finish."
        actions={
          <>
            <LiveIndicator paused={paused} updatedAt={active.dataUpdatedAt} />
            <Button
              variant="secondary"
              className="h-9 px-3"
              aria-pressed={paused}
              icon={
                paused ? (
                  <Play aria-hidden="true" className="size-4" />
                ) : (
                  <Pause aria-hidden="true" className="size-4" />
                )
              }
              onClick={() => setPaused((was) => !was)}
            >
              {paused ? "Resume updates" : "Pause updates"}
            </Button>
          </>
        }
      />

      {active.isPending ? (
        <LoadingBlock label="Loading live sessions…" />
      ) : active.isError && !active.data ? (
        <QueryError
          error={active.error}
          onRetry={() => void active.refetch()}
          retrying={active.isFetching}
          title="Couldn't load live sessions"
          forbidden="page"
          reason="The live view of everyone's sessions is for admins."
        />
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">
            <StatCard icon={Activity} label="Open sessions" value={formatNumber(sessions.length)} />
            <StatCard
              icon={Coins}
              label="Credits held"
              value={formatNumber(held)}
              detail={creditsToUsd(held)}
            />
            <StatCard icon={UsersRound} label="Users streaming" value={formatNumber(streamingUsers)} />
          </dl>
          <p role="status" className="sr-only">
            {sessions.length === 1 ? "1 open session" : `${sessions.length} open sessions`}
          </p>
          {active.isError && (
            <p className="text-sm text-danger">Updates are failing; showing the last sessions we received.</p>
          )}

          <Section
            title="Open sessions"
            description="Reservations not yet finalized, aborted or expired."
            flush
          >
            {sessions.length === 0 ? (
              <EmptyState icon={Radio} title="No open sessions right now">
                Sessions appear here the moment someone starts a model call.
              </EmptyState>
            ) : (
              <LiveSessionsTable
                sessions={sessions}
                modelNames={modelNames}
                userNames={userNames}
                now={now}
              />
            )}
          </Section>

          <Section title="Recently finished" description="The last sessions to settle, newest first." flush>
            {recent.isPending ? (
              <LoadingBlock label="Loading recent sessions…" className="py-10" />
            ) : finished.length === 0 ? (
              <EmptyState icon={Activity} title="Nothing has finished yet" />
            ) : (
              <DataTable
                label="Recently finished sessions"
                columns={recentColumns(modelNames, userNames)}
                rows={finished}
                rowKey={(row) => row.sessionId}
              />
            )}
          </Section>
        </>
      )}
    </div>
  );
}

function LiveIndicator({ paused, updatedAt }: { paused: boolean; updatedAt: number }) {
  return (
    <span className="flex items-center gap-2 text-sm text-fg-muted">
      <span aria-hidden="true" className="relative flex size-2.5">
        {!paused && (
          <span className="absolute inline-flex size-full rounded-full bg-emerald-500 opacity-60 motion-safe:animate-ping" />
        )}
        <span
          className={`relative inline-flex size-2.5 rounded-full ${paused ? "bg-fg-muted" : "bg-emerald-500"}`}
        />
      </span>
      {paused ? "Paused" : "Live"}
      {updatedAt > 0 && (
        <span className="hidden sm:inline">
          · updated{" "}
          <time dateTime={new Date(updatedAt).toISOString()}>{new Date(updatedAt).toLocaleTimeString()}</time>
        </span>
      )}
    </span>
  );
}

const STATUS_TONE = { open: "brand", finalized: "good", aborted: "neutral", expired: "bad" } as const;
const STATUS_LABEL = { open: "Open", finalized: "Finished", aborted: "Stopped", expired: "Expired" } as const;

function recentColumns(
  modelNames: ReadonlyMap<string, string>,
  userNames: ReadonlyMap<string, UserName>,
): Column<Reservation>[] {
  return [
    {
      header: "User",
      cell: (row) => (
        <Link
          to={`/admin/users/${row.userId}`}
          className="font-medium text-fg underline-offset-2 hover:text-brand-text hover:underline"
        >
          {userNames.get(row.userId)?.displayName ?? "Loading…"}
        </Link>
      ),
    },
    { header: "Model", cell: (row) => modelNames.get(row.modelId) ?? row.modelId },
    {
      header: "Status",
      cell: (row) => <Pill tone={STATUS_TONE[row.status]}>{STATUS_LABEL[row.status]}</Pill>,
    },
    {
      header: "Tokens",
      numeric: true,
      cell: (row) =>
        row.tokens ? `${formatNumber(row.tokens.input)} in · ${formatNumber(row.tokens.output)} out` : "—",
    },
    { header: "Charged", numeric: true, cell: (row) => formatNumber(row.creditsCharged ?? 0) },
    {
      header: "Finished",
      cell: (row) =>
        row.settledAt ? (
          <time dateTime={row.settledAt.toISOString()} title={formatDateTime(row.settledAt)}>
            {formatRelative(row.settledAt)}
          </time>
        ) : (
          "—"
        ),
    },
  ];
}
