import { Trans, useLingui } from "@lingui/react/macro";
import { ArrowLeft } from "lucide-react";
import { Logo } from "../components/Logo.tsx";
import { ButtonLink } from "../components/ui/Button.tsx";
import { useDocumentTitle } from "../lib/use-document-title.ts";

export function NotFoundPage() {
  const { t } = useLingui();
  useDocumentTitle(t`Page not found`);
  return (
    <main className="grid min-h-dvh place-items-center px-4 py-10">
      <div className="flex max-w-md flex-col items-center text-center">
        <Logo size="lg" />
        <p className="mt-10 text-sm font-semibold text-brand-text">404</p>
        <h1 className="mt-2 text-3xl font-semibold tracking-tight text-fg sm:text-4xl">
          <Trans>Page not found</Trans>
        </h1>
        <p className="mt-3 text-fg-muted">
          <Trans>The page you're looking for doesn't exist or may have moved.</Trans>
        </p>
        <ButtonLink to="/" className="mt-8">
          <ArrowLeft aria-hidden="true" className="size-4" />
          <Trans>Back to home</Trans>
        </ButtonLink>
      </div>
    </main>
  );
}
