import { Trans, useLingui } from "@lingui/react/macro";
import { Suspense } from "react";
import { Outlet } from "react-router";
import { useCurrentUser } from "../lib/current-user.ts";
import { useShellLayout } from "../lib/route-layout.ts";
import { SessionActionsContext } from "../lib/session-actions.ts";
import { useSignOut } from "../lib/use-sign-out.ts";
import { ChatStreamsProvider } from "./ChatStreamsProvider.tsx";
import { KeyboardShortcuts } from "./KeyboardShortcuts.tsx";
import { TopBar } from "./TopBar.tsx";
import { Alert } from "./ui/Alert.tsx";
import { LoadingBlock } from "./ui/states.tsx";

const MAIN_CLASS = {
  page: "mx-auto w-full max-w-4xl flex-1 px-4 py-8 sm:px-6 lg:py-12",
  wide: "mx-auto w-full max-w-7xl flex-1 px-4 py-8 sm:px-6 lg:py-10",
  full: "flex min-h-0 flex-1 flex-col",
} as const;

/** The signed-in shell: top bar, and one sign-out flow shared by the menu and the pages. */
export function AppLayout() {
  const { t } = useLingui();
  const user = useCurrentUser();
  const { error, dismissError, signOut, pending } = useSignOut();
  const layout = useShellLayout();

  const signOutError = error && (
    <div className={layout === "full" ? "border-b border-border px-4 py-3" : "mb-6"}>
      <Alert title={t`You're still signed in`} onDismiss={dismissError}>
        {error}
      </Alert>
    </div>
  );

  return (
    <SessionActionsContext value={{ signOut, pending }}>
      <ChatStreamsProvider>
        <div className={`flex flex-col ${layout === "full" ? "h-dvh" : "min-h-dvh"}`}>
          <a
            href="#main"
            className="sr-only rounded-lg bg-surface px-4 py-2 text-sm font-medium text-fg shadow-lg focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50"
          >
            <Trans>Skip to content</Trans>
          </a>
          <TopBar user={user} />
          <KeyboardShortcuts />
          <main id="main" tabIndex={-1} className={MAIN_CLASS[layout]}>
            {signOutError}
            {/* A screen whose code is still loading (profile, admin) shows a spinner in the shell. */}
            <Suspense fallback={<LoadingBlock label={t`Loading…`} className="py-24" />}>
              <Outlet />
            </Suspense>
          </main>
        </div>
      </ChatStreamsProvider>
    </SessionActionsContext>
  );
}
