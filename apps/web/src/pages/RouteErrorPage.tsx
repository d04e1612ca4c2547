import { Trans, useLingui } from "@lingui/react/macro";
import { RefreshCw } from "lucide-react";
import { Logo } from "../components/Logo.tsx";
import { Button, ButtonLink } from "../components/ui/Button.tsx";
import { useDocumentTitle } from "../lib/use-document-title.ts";

/** Shown for a render error anywhere in the app (the error boundary around the routes). */
export function RouteErrorPage() {
  const { t } = useLingui();
  useDocumentTitle(t`Something went wrong`);

  return (
    <main className="grid min-h-dvh place-items-center px-4 py-10">
      <div className="flex max-w-md flex-col items-center text-center">
        <Logo size="lg" />
        <h1 className="mt-10 text-2xl font-semibold tracking-tight text-fg">
          <Trans>Something went wrong</Trans>
        </h1>
        <p className="mt-3 text-fg-muted">
          <Trans>An unexpected error stopped this page from loading. Reloading usually fixes it.</Trans>
        </p>
        <div className="mt-8 flex flex-col gap-3 sm:flex-row">
          <Button
            icon={<RefreshCw aria-hidden="true" className="size-4" />}
            onClick={() => window.location.reload()}
          >
            <Trans>Reload page</Trans>
          </Button>
          <ButtonLink to="/" variant="secondary" reloadDocument>
            <Trans>Back to home</Trans>
          </ButtonLink>
        </div>
      </div>
    </main>
  );
}
