import { RefreshCw } from "lucide-react";
import { errorCode, errorMessage } from "../../lib/errors.ts";
import { Alert } from "../Alert.tsx";
import { Button } from "../Button.tsx";
import { NotAllowed } from "./NotAllowed.tsx";

interface QueryErrorProps {
  error: unknown;
  onRetry: () => void;
  retrying: boolean;
  title?: string;
  /** Page-level errors turn FORBIDDEN into the "not allowed" state; a section's just says so. */
  forbidden?: "page" | "inline";
  reason?: string;
}

export function QueryError({
  error,
  onRetry,
  retrying,
  title = "Couldn't load this",
  forbidden = "inline",
  reason,
}: QueryErrorProps) {
  if (errorCode(error) === "FORBIDDEN" && forbidden === "page") {
    return <NotAllowed {...(reason ? { reason } : {})} back={{ to: "/admin", label: "Back to admin" }} />;
  }
  return (
    <div className="space-y-3">
      <Alert title={title}>{errorMessage(error)}</Alert>
      {errorCode(error) !== "FORBIDDEN" && (
        <Button
          variant="secondary"
          className="h-9 px-3"
          loading={retrying}
          icon={<RefreshCw aria-hidden="true" className="size-4" />}
          onClick={onRetry}
        >
          Try again
        </Button>
      )}
    </div>
  );
}
