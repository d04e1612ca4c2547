import { keepPreviousData } from "@tanstack/react-query";
import { RefreshCw } from "lucide-react";
import { useMemo } from "react";
import { useSearchParams } from "react-router";
import { Alert } from "../../components/Alert.tsx";
import { PeriodPicker } from "../../components/admin/PeriodPicker.tsx";
import { periodFromParams, periodLabel, periodRange, periodToParams } from "../../components/admin/period.ts";
import { QueryError } from "../../components/admin/QueryError.tsx";
import { RequireAdmin } from "../../components/admin/RequireAdmin.tsx";
import { UsageReport } from "../../components/admin/UsageReport.tsx";
import { LoadingBlock, PageHeader } from "../../components/admin/ui.tsx";
import { Button } from "../../components/Button.tsx";
import { Spinner } from "../../components/Spinner.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { trpc } from "../../lib/trpc.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

const TOP_USERS = 10;

export function UsagePage() {
  return (
    <RequireAdmin reason="Usage analytics are for admins.">
      <UsageAnalytics />
    </RequireAdmin>
  );
}

function UsageAnalytics() {
  useDocumentTitle("Usage");
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

  return (
    <div className="space-y-6">
      <PageHeader
        title="Usage"
        description={`Credits and tokens across everyone, ${periodLabel(period)} (days in UTC).`}
        actions={
          <Button
            variant="secondary"
            className="h-9 px-3"
            loading={stats.isFetching}
            icon={<RefreshCw aria-hidden="true" className="size-4" />}
            onClick={() => void stats.refetch()}
          >
            Refresh
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
            <span className="sr-only">Updating…</span>
          </span>
        )}
      </div>
      {stats.isPending ? (
        <LoadingBlock label="Loading usage…" />
      ) : stats.isError && !stats.data ? (
        <QueryError
          error={stats.error}
          onRetry={() => void stats.refetch()}
          retrying={stats.isFetching}
          title="Couldn't load usage"
          forbidden="page"
          reason="Usage analytics are for admins."
        />
      ) : (
        <>
          {stats.isError && (
            <Alert title="Couldn't update">
              {errorMessage(stats.error)} Showing the figures for the previous period.
            </Alert>
          )}
          <UsageReport stats={stats.data} period={period} modelNames={modelNames} filePrefix="parley-usage" />
        </>
      )}
    </div>
  );
}
