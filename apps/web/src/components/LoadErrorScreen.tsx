import { RefreshCw } from "lucide-react";
import { errorMessage } from "../lib/errors.ts";
import { useDocumentTitle } from "../lib/use-document-title.ts";
import { Alert } from "./Alert.tsx";
import { Button } from "./Button.tsx";
import { Logo } from "./Logo.tsx";

interface LoadErrorScreenProps {
  error: unknown;
  retrying: boolean;
  onRetry: () => void;
}

/** Shown when the account cannot be loaded for a reason other than being signed out. */
export function LoadErrorScreen({ error, retrying, onRetry }: LoadErrorScreenProps) {
  useDocumentTitle("Unavailable");
  return (
    <main className="grid min-h-dvh place-items-center px-4 py-10">
      <div className="w-full max-w-100 space-y-6 text-center">
        <Logo size="lg" />
        <div className="space-y-4 rounded-2xl border border-border bg-surface p-6 text-left shadow-xl shadow-black/5">
          <h1 className="text-lg font-semibold text-fg">We couldn't load your account</h1>
          <Alert>{errorMessage(error)}</Alert>
          <Button
            className="w-full"
            loading={retrying}
            icon={<RefreshCw aria-hidden="true" className="size-4" />}
            onClick={onRetry}
          >
            Try again
          </Button>
        </div>
      </div>
    </main>
  );
}
