import { RefreshCw } from "lucide-react";
import { isRouteErrorResponse, useRouteError } from "react-router";
import { Button, ButtonLink } from "../components/Button.tsx";
import { Logo } from "../components/Logo.tsx";
import { useDocumentTitle } from "../lib/use-document-title.ts";
import { NotFoundPage } from "./NotFoundPage.tsx";

/** Catches render errors anywhere below the root route, instead of the router's developer screen. */
export function RouteErrorPage() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  // Set here for both cases: this effect runs after NotFoundPage's and would overwrite its title.
  useDocumentTitle(notFound ? "Page not found" : "Something went wrong");
  if (notFound) return <NotFoundPage />;

  return (
    <main className="grid min-h-dvh place-items-center px-4 py-10">
      <div className="flex max-w-md flex-col items-center text-center">
        <Logo size="lg" />
        <h1 className="mt-10 text-2xl font-semibold tracking-tight text-fg">Something went wrong</h1>
        <p className="mt-3 text-fg-muted">
          An unexpected error stopped this page from loading. Reloading usually fixes it.
        </p>
        <div className="mt-8 flex flex-col gap-3 sm:flex-row">
          <Button
            icon={<RefreshCw aria-hidden="true" className="size-4" />}
            onClick={() => window.location.reload()}
          >
            Reload page
          </Button>
          <ButtonLink to="/" variant="secondary" reloadDocument>
            Back to home
          </ButtonLink>
        </div>
      </div>
    </main>
  );
}
