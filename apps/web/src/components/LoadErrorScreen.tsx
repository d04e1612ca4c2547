import { Trans, useLingui } from "@lingui/react/macro";
import { useDocumentTitle } from "../lib/use-document-title.ts";
import { Logo } from "./Logo.tsx";
import { QueryError, type RetryableQuery } from "./ui/QueryError.tsx";

/** Shown when the account cannot be loaded for a reason other than being signed out. */
export function LoadErrorScreen({ query }: { query: RetryableQuery }) {
  const { t } = useLingui();
  useDocumentTitle(t`Unavailable`);
  return (
    <main className="grid min-h-dvh place-items-center px-4 py-10">
      <div className="w-full max-w-100 space-y-6 text-center">
        <Logo size="lg" />
        <div className="space-y-4 rounded-2xl border border-border bg-surface p-6 text-left shadow-xl shadow-black/5">
          <h1 className="text-lg font-semibold text-fg">
            <Trans>We couldn't load your account</Trans>
          </h1>
          <QueryError query={query} title="" prominent />
        </div>
      </div>
    </main>
  );
}
