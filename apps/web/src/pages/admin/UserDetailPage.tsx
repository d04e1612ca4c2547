import { i18n } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { keepPreviousData } from "@tanstack/react-query";
import {
  ArrowLeft,
  CalendarClock,
  Coins,
  Hourglass,
  Lock,
  PencilLine,
  Radio,
  UserX,
  Wallet,
} from "lucide-react";
import { useMemo, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { Avatar } from "../../components/Avatar.tsx";
import { CreditsForm } from "../../components/admin/CreditsForm.tsx";
import { EditAccessDialog } from "../../components/admin/EditAccessDialog.tsx";
import { GrantsSection } from "../../components/admin/GrantsSection.tsx";
import { AccountLedgerSection } from "../../components/admin/LedgerSection.tsx";
import { LiveSessionsTable } from "../../components/admin/LiveSessionsTable.tsx";
import { BACK_TO_ADMIN, NotAllowed } from "../../components/admin/NotAllowed.tsx";
import { ResetLinkButton } from "../../components/admin/ResetLinkButton.tsx";
import type { AccountBalance } from "../../components/admin/types.ts";
import { useNow } from "../../components/admin/use-now.ts";
import { RoleBadge } from "../../components/RoleBadge.tsx";
import { Button, ButtonLink } from "../../components/ui/Button.tsx";
import { StatusBadge } from "../../components/ui/badges.tsx";
import { PeriodPicker } from "../../components/ui/PeriodPicker.tsx";
import { QueryError } from "../../components/ui/QueryError.tsx";
import { Section } from "../../components/ui/Section.tsx";
import { EmptyState, LoadingBlock, StatCard } from "../../components/ui/states.tsx";
import { UsageReport } from "../../components/usage/UsageReport.tsx";
import { useCurrentUser } from "../../lib/current-user.ts";
import { errorCode } from "../../lib/errors.ts";
import {
  formatDate,
  formatDateTime,
  formatMediumDate,
  formatNumber,
  formatRelative,
  formatUsd,
  toDate,
} from "../../lib/format.ts";
import { isUuid } from "../../lib/ids.ts";
import { periodFromParams, periodLabel, periodRange, periodToParams } from "../../lib/period.ts";
import { trpc } from "../../lib/trpc.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

export function UserDetailPage() {
  const { userId = "" } = useParams();
  // A malformed id cannot name a user; no need to ask the server.
  if (!isUuid(userId)) return <UserNotFound />;
  return <UserDetail key={userId} userId={userId} />;
}

function UserNotFound() {
  const { t } = useLingui();
  useDocumentTitle(t`User not found`);
  return (
    <div className="space-y-6">
      <BackLink />
      <div className="rounded-2xl border border-border bg-surface shadow-sm">
        <EmptyState icon={UserX} title={t`User not found`}>
          <Trans>There is no user with this id. They may have been removed, or the link is mistyped.</Trans>
        </EmptyState>
        <div className="flex justify-center pb-8">
          <ButtonLink to="/admin/users" variant="secondary">
            <Trans>Back to users</Trans>
          </ButtonLink>
        </div>
      </div>
    </div>
  );
}

function BackLink() {
  return (
    <Link
      to="/admin/users"
      className="inline-flex items-center gap-1.5 rounded text-sm font-medium text-fg-muted hover:text-fg"
    >
      <ArrowLeft aria-hidden="true" className="size-4" />
      <Trans>All users</Trans>
    </Link>
  );
}

/** Why the signed-in person may not move this account's credits (the API's rule), or null. */
function creditsOffLimits(
  me: { id: string; role: string },
  user: { id: string; role: string },
): string | null {
  if (me.id === user.id) return i18n._(msg`Nobody moves credits on their own account: another admin has to.`);
  if (me.role === "supervisor" && user.role !== "user") {
    return i18n._(msg`Supervisors move credits on user accounts only.`);
  }
  return null;
}

function UserDetail({ userId }: { userId: string }) {
  const { t } = useLingui();
  const me = useCurrentUser();
  const account = trpc.admin.credits.balanceOf.useQuery({ userId });
  useDocumentTitle(account.data?.user.displayName ?? t`User`);

  if (account.isPending) return <LoadingBlock label={t`Loading user…`} />;
  if (account.isError && !account.data) {
    if (errorCode(account.error) === "NOT_FOUND") return <UserNotFound />;
    return (
      <div className="space-y-6">
        <BackLink />
        <QueryError
          query={account}
          title={t`Couldn't load this user`}
          forbidden={<NotAllowed back={BACK_TO_ADMIN} />}
        />
      </div>
    );
  }
  const name = account.data.user.displayName;
  const cannotMove = creditsOffLimits(me, account.data.user);

  return (
    <div className="space-y-6">
      <BackLink />
      <UserHeader account={account.data} />
      <BalanceCards account={account.data} />
      <Section
        title={t`Manage credits`}
        description={t`Every change is written to the ledger with you as its author.`}
      >
        {cannotMove ? (
          <p className="text-sm text-fg-muted">{cannotMove}</p>
        ) : (
          <CreditsForm userId={userId} userName={name} account={account.data} />
        )}
      </Section>
      <AccountLedgerSection userId={userId} />
      <GrantsSection userId={userId} />
      <OpenSessions userId={userId} />
      <UserUsage userId={userId} name={name} />
    </div>
  );
}

function UserHeader({ account }: { account: AccountBalance }) {
  const me = useCurrentUser();
  const { user } = account;
  const [editing, setEditing] = useState(false);
  const joined = formatDate(user.createdAt);
  const lastSignIn = user.lastLoginAt ? (
    <time dateTime={user.lastLoginAt.toISOString()} title={formatDateTime(user.lastLoginAt)}>
      {formatRelative(user.lastLoginAt)}
    </time>
  ) : (
    <Trans>never</Trans>
  );
  return (
    <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
      <div className="flex min-w-0 items-start gap-4">
        <Avatar name={user.displayName} className="size-14 text-lg" />
        <div className="min-w-0 space-y-1.5">
          <h1 className="text-2xl font-semibold tracking-tight break-words text-fg">{user.displayName}</h1>
          <p className="flex flex-wrap gap-x-2 text-sm text-fg-muted [overflow-wrap:anywhere]">
            <span>{user.email}</span>
            <span>@{user.username}</span>
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <RoleBadge role={user.role} />
            <StatusBadge active={user.active} />
          </div>
          <p className="text-xs text-fg-muted">
            <Trans>
              Joined <time dateTime={user.createdAt.toISOString()}>{joined}</time> · Last sign-in {lastSignIn}
            </Trans>
          </p>
        </div>
      </div>
      {me.role === "admin" && (
        <div className="flex shrink-0 flex-wrap gap-2">
          <ResetLinkButton userId={user.id} name={user.displayName} />
          <Button
            variant="secondary"
            className="shrink-0"
            icon={<PencilLine aria-hidden="true" className="size-4" />}
            onClick={() => setEditing(true)}
          >
            <Trans>Edit access</Trans>
          </Button>
        </div>
      )}
      {editing && (
        <EditAccessDialog
          user={user}
          isSelf={user.id === me.id}
          onClose={() => setEditing(false)}
          onSaved={() => setEditing(false)}
        />
      )}
    </div>
  );
}

function BalanceCards({ account }: { account: AccountBalance }) {
  const { t } = useLingui();
  const nextExpiry = toDate(account.nextExpiryAt);
  return (
    <dl aria-label={t`Credits`} className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <StatCard
        icon={Wallet}
        label={t`Balance`}
        value={formatNumber(account.balance)}
        detail={formatUsd(account.balance)}
      />
      <StatCard
        icon={Lock}
        label={t`Held`}
        value={formatNumber(account.held)}
        detail={t`By running requests`}
      />
      <StatCard
        icon={Coins}
        label={t`Available`}
        value={formatNumber(account.available)}
        detail={formatUsd(account.available)}
      />
      <StatCard
        icon={nextExpiry ? Hourglass : CalendarClock}
        label={t`Next expiry`}
        value={nextExpiry ? formatMediumDate(nextExpiry) : t`None`}
        detail={nextExpiry ? formatRelative(nextExpiry) : t`No credits expire`}
      />
    </dl>
  );
}

function OpenSessions({ userId }: { userId: string }) {
  const { t } = useLingui();
  const now = useNow();
  const active = trpc.admin.streaming.active.useQuery({ userId }, { refetchInterval: 5000, staleTime: 0 });
  const models = trpc.admin.pricing.list.useQuery();
  const modelNames = useMemo(
    () => new Map((models.data ?? []).map((model) => [model.modelId, model.displayName])),
    [models.data],
  );
  return (
    <Section
      title={t`Open sessions`}
      description={t`Model calls in progress and the credits they hold.`}
      flush
    >
      {active.isPending ? (
        <LoadingBlock label={t`Loading sessions…`} className="py-10" />
      ) : active.isError ? (
        <div className="p-5">
          <QueryError query={active} title={t`Couldn't load open sessions`} />
        </div>
      ) : active.data.length === 0 ? (
        <EmptyState icon={Radio} title={t`No open sessions`} />
      ) : (
        <LiveSessionsTable sessions={active.data} modelNames={modelNames} now={now} />
      )}
    </Section>
  );
}

function UserUsage({ userId, name }: { userId: string; name: string }) {
  const { t } = useLingui();
  const [params, setParams] = useSearchParams();
  const period = periodFromParams(params);
  const periodShown = periodLabel(period);
  const periodKey = JSON.stringify(period);
  // biome-ignore lint/correctness/useExhaustiveDependencies: periodKey stands for period's value.
  const range = useMemo(() => periodRange(period), [periodKey]);
  const stats = trpc.admin.usage.statsOf.useQuery(
    { userId, from: range.from, to: range.to },
    { placeholderData: keepPreviousData },
  );
  const models = trpc.admin.pricing.list.useQuery();
  const modelNames = useMemo(
    () => new Map((models.data ?? []).map((model) => [model.modelId, model.displayName])),
    [models.data],
  );
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "user";

  return (
    <section aria-labelledby="user-usage-heading" className="space-y-4 pt-2">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h2 id="user-usage-heading" className="text-lg font-semibold text-fg">
            <Trans>Usage</Trans>
          </h2>
          <p className="text-sm text-fg-muted">
            <Trans>
              {name}'s model use, {periodShown} (days in UTC).
            </Trans>
          </p>
        </div>
        <PeriodPicker
          period={period}
          onChange={(next) => setParams(periodToParams(next), { replace: true })}
        />
      </div>
      {stats.isPending ? (
        <LoadingBlock label={t`Loading usage…`} />
      ) : stats.isError && !stats.data ? (
        <QueryError query={stats} title={t`Couldn't load usage`} />
      ) : (
        <UsageReport
          stats={stats.data}
          period={period}
          modelNames={modelNames}
          filePrefix={`parley-usage-${slug}`}
        />
      )}
    </section>
  );
}
