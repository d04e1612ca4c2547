import { Trans, useLingui } from "@lingui/react/macro";
import { keepPreviousData } from "@tanstack/react-query";
import { RefreshCw } from "lucide-react";
import { useMemo } from "react";
import { useSearchParams } from "react-router";
import { BACK_TO_ADMIN, NotAllowed } from "../../components/admin/NotAllowed.tsx";
import { RequireAdmin } from "../../components/admin/RequireAdmin.tsx";
import { Alert } from "../../components/ui/Alert.tsx";
import { Button } from "../../components/ui/Button.tsx";
import { PeriodPicker } from "../../components/ui/PeriodPicker.tsx";
import { QueryError } from "../../components/ui/QueryError.tsx";
import { PageHeader } from "../../components/ui/Section.tsx";
import { Spinner } from "../../components/ui/Spinner.tsx";
import { LoadingBlock } from "../../components/ui/states.tsx";
import { UsageReport } from "../../components/usage/UsageReport.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { periodFromParams, periodLabel, periodRange, periodToParams } from "../../lib/period.ts";
import { trpc } from "../../lib/trpc.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

const TOP_USERS = 10;

export function UsagePage() {
  const { t } = useLingui();
  return (
    <RequireAdmin reason={t`Usage analytics are for admins.`}>
      <UsageAnalytics />
    </RequireAdmin>
  );
}

function UsageAnalytics() {
  const { t } = useLingui();
  useDocumentTitle(t`Usage`);
  const [params, setParams] = useSearchParams();
  const period = periodFromParams(params);
  const periodKey = JSON.stringify(period);
  // Whole UTC days, so the range (and the query key) stays put for the rest of the day.
  // biome-ignore lint/correctness/useExhaustiveDependencies: periodKey stands for period's value.
  const range = useMemo(() => periodRange(period), [periodKey]);
  const stats = trpc.admin.usage.systemStats.useQuery(
    { from: range.from, to: range.to, topUsers: TOP_USERS },
    { placeholderData: keepPreviousData },
  );
  const models = trpc.admin.pricing.list.useQuery();
  const modelNames = useMemo(
    () => new Map((models.data ?? []).map((model) => [model.modelId, model.displayName])),
    [models.data],
  );

  const periodShown = periodLabel(period);
  return (
    <div className="space-y-6">
      <PageHeader
        title={t`Usage`}
        description={t`Credits and tokens across everyone, ${periodShown} (days in UTC).`}
        actions={
          <Button
            variant="secondary"
            className="h-9 px-3"
            loading={stats.isFetching}
            icon={<RefreshCw aria-hidden="true" className="size-4" />}
            onClick={() => void stats.refetch()}
          >
            <Trans>Refresh</Trans>
          </Button>
        }
      />
      <div className="flex items-center gap-3">
        <PeriodPicker
          period={period}
          onChange={(next) => setParams(periodToParams(next), { replace: true })}
        />
        {stats.isFetching && !stats.isPending && (
          <span role="status" className="flex items-center gap-2 text-sm text-fg-muted">
            <Spinner className="size-4" />
            <span className="sr-only">
              <Trans>Updating…</Trans>
            </span>
          </span>
        )}
      </div>
      {stats.isPending ? (
        <LoadingBlock label={t`Loading usage…`} />
      ) : stats.isError && !stats.data ? (
        <QueryError
          query={stats}
          title={t`Couldn't load usage`}
          forbidden={<NotAllowed reason={t`Usage analytics are for admins.`} back={BACK_TO_ADMIN} />}
        />
      ) : (
        <>
          {stats.isError && (
            <Alert title={t`Couldn't update`}>
              {errorMessage(stats.error)} <Trans>Showing the figures for the previous period.</Trans>
            </Alert>
          )}
          <UsageReport stats={stats.data} period={period} modelNames={modelNames} filePrefix="parley-usage" />
        </>
      )}
    </div>
  );
}
