import { i18n } from "@lingui/core";
import { msg, plural } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { Activity, Coins, Pause, Play, Radio, UsersRound } from "lucide-react";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { LiveSessionsTable } from "../../components/admin/LiveSessionsTable.tsx";
import { BACK_TO_ADMIN, NotAllowed } from "../../components/admin/NotAllowed.tsx";
import { RequireAdmin } from "../../components/admin/RequireAdmin.tsx";
import type { Reservation } from "../../components/admin/types.ts";
import { useNow } from "../../components/admin/use-now.ts";
import { type UserName, useUserNames } from "../../components/admin/use-user-names.ts";
import { Button } from "../../components/ui/Button.tsx";
import { Pill } from "../../components/ui/badges.tsx";
import { type Column, DataTable } from "../../components/ui/DataTable.tsx";
import { QueryError } from "../../components/ui/QueryError.tsx";
import { PageHeader, Section } from "../../components/ui/Section.tsx";
import { EmptyState, LoadingBlock, StatCard } from "../../components/ui/states.tsx";
import { formatDateTime, formatNumber, formatRelative, formatTime, formatUsd } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

const REFRESH_MS = 2000;
const RECENT_SHOWN = 10;

export function LivePage() {
  const { t } = useLingui();
  return (
    <RequireAdmin reason={t`The live view of everyone's sessions is for admins.`}>
      <LiveSessions />
    </RequireAdmin>
  );
}

function LiveSessions() {
  const { t } = useLingui();
  useDocumentTitle(t`Live sessions`);
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

  const openCount = sessions.length;
  return (
    <div className="space-y-6">
      <PageHeader
        title={t`Live sessions`}
        description={t`Model calls in progress right now and the credits they hold until they finish.`}
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
              {paused ? <Trans>Resume updates</Trans> : <Trans>Pause updates</Trans>}
            </Button>
          </>
        }
      />

      {active.isPending ? (
        <LoadingBlock label={t`Loading live sessions…`} />
      ) : active.isError && !active.data ? (
        <QueryError
          query={active}
          title={t`Couldn't load live sessions`}
          forbidden={
            <NotAllowed
              reason={t`The live view of everyone's sessions is for admins.`}
              back={BACK_TO_ADMIN}
            />
          }
        />
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">
            <StatCard icon={Activity} label={t`Open sessions`} value={formatNumber(sessions.length)} />
            <StatCard
              icon={Coins}
              label={t`Credits held`}
              value={formatNumber(held)}
              detail={formatUsd(held)}
            />
            <StatCard icon={UsersRound} label={t`Users streaming`} value={formatNumber(streamingUsers)} />
          </dl>
          <p role="status" className="sr-only">
            {plural(openCount, { one: "# open session", other: "# open sessions" })}
          </p>
          {active.isError && (
            <p className="text-sm text-danger">
              <Trans>Updates are failing; showing the last sessions we received.</Trans>
            </p>
          )}

          <Section
            title={t`Open sessions`}
            description={t`Reservations not yet finalized, aborted or expired.`}
            flush
          >
            {sessions.length === 0 ? (
              <EmptyState icon={Radio} title={t`No open sessions right now`}>
                <Trans>Sessions appear here the moment someone starts a model call.</Trans>
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

          <Section
            title={t`Recently finished`}
            description={t`The last sessions to settle, newest first.`}
            flush
          >
            {recent.isPending ? (
              <LoadingBlock label={t`Loading recent sessions…`} className="py-10" />
            ) : finished.length === 0 ? (
              <EmptyState icon={Activity} title={t`Nothing has finished yet`} />
            ) : (
              <DataTable
                label={t`Recently finished sessions`}
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
  const updatedTime = formatTime(new Date(updatedAt));
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
      {paused ? <Trans>Paused</Trans> : <Trans>Live</Trans>}
      {updatedAt > 0 && (
        <span className="hidden sm:inline">
          <Trans>
            · updated <time dateTime={new Date(updatedAt).toISOString()}>{updatedTime}</time>
          </Trans>
        </span>
      )}
    </span>
  );
}

const STATUS_TONE = { open: "brand", finalized: "good", aborted: "neutral", expired: "bad" } as const;
const STATUS_LABEL = {
  open: msg`Open`,
  finalized: msg`Finished`,
  aborted: msg`Stopped`,
  expired: msg`Expired`,
} as const;

function tokensInOut(inputTokens: number, outputTokens: number): string {
  const input = formatNumber(inputTokens);
  const output = formatNumber(outputTokens);
  return i18n._(msg`${input} in · ${output} out`);
}

function recentColumns(
  modelNames: ReadonlyMap<string, string>,
  userNames: ReadonlyMap<string, UserName>,
): Column<Reservation>[] {
  return [
    {
      header: i18n._(msg`User`),
      cell: (row) => (
        <Link
          to={`/admin/users/${row.userId}`}
          className="font-medium text-fg underline-offset-2 hover:text-brand-text hover:underline"
        >
          {userNames.get(row.userId)?.displayName ?? i18n._(msg`Loading…`)}
        </Link>
      ),
    },
    { header: i18n._(msg`Model`), cell: (row) => modelNames.get(row.modelId) ?? row.modelId },
    {
      header: i18n._(msg`Status`),
      cell: (row) => <Pill tone={STATUS_TONE[row.status]}>{i18n._(STATUS_LABEL[row.status])}</Pill>,
    },
    {
      header: i18n._(msg`Tokens`),
      numeric: true,
      cell: (row) => (row.tokens ? tokensInOut(row.tokens.input, row.tokens.output) : "—"),
    },
    { header: i18n._(msg`Charged`), numeric: true, cell: (row) => formatNumber(row.creditsCharged ?? 0) },
    {
      header: i18n._(msg`Finished`),
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
