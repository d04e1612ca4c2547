import { Trans, useLingui } from "@lingui/react/macro";
import { RefreshCw } from "lucide-react";
import type { ReactNode } from "react";
import { errorCode, errorMessage } from "../../lib/errors.ts";
import { Alert } from "./Alert.tsx";
import { Button } from "./Button.tsx";

/** What QueryError needs of a failed query (TanStack Query's result has all three). */
export interface RetryableQuery {
  error: unknown;
  isFetching: boolean;
  refetch: () => unknown;
}

interface QueryErrorProps {
  query: RetryableQuery;
  title?: string;
  /** Shown instead when the API answered FORBIDDEN (a page the role may not use); by default the error says so. */
  forbidden?: ReactNode;
  /** The button fills the width and leads (a full-screen error with nothing else to do). */
  prominent?: boolean;
  className?: string;
}

/** A query that failed: what went wrong and a "Try again" button that refetches it. */
export function QueryError({ query, title, forbidden, prominent = false, className = "" }: QueryErrorProps) {
  const { t } = useLingui();
  const isForbidden = errorCode(query.error) === "FORBIDDEN";
  if (isForbidden && forbidden) return <>{forbidden}</>;
  return (
    <div className={`space-y-3 ${className}`}>
      <Alert title={title ?? t`Couldn't load this`}>{errorMessage(query.error)}</Alert>
      {!isForbidden && (
        <Button
          variant={prominent ? "primary" : "secondary"}
          className={prominent ? "w-full" : ""}
          loading={query.isFetching}
          icon={<RefreshCw aria-hidden="true" className="size-4" />}
          onClick={() => void query.refetch()}
        >
          <Trans>Try again</Trans>
        </Button>
      )}
    </div>
  );
}
