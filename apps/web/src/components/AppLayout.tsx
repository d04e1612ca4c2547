import { Outlet, useNavigation } from "react-router";
import { useCurrentUser } from "../lib/current-user.ts";
import { useShellLayout } from "../lib/route-layout.ts";
import { SessionActionsContext } from "../lib/session-actions.ts";
import { useSignOut } from "../lib/use-sign-out.ts";
import { Alert } from "./Alert.tsx";
import { ChatStreamsProvider } from "./ChatStreamsProvider.tsx";
import { TopBar } from "./TopBar.tsx";

const MAIN_CLASS = {
  page: "mx-auto w-full max-w-4xl flex-1 px-4 py-8 sm:px-6 lg:py-12",
  wide: "mx-auto w-full max-w-7xl flex-1 px-4 py-8 sm:px-6 lg:py-10",
  full: "flex min-h-0 flex-1 flex-col",
} as const;

/** The signed-in shell: top bar, and one sign-out flow shared by the menu and the pages. */
export function AppLayout() {
  const user = useCurrentUser();
  const { error, dismissError, signOut, pending } = useSignOut();
  const layout = useShellLayout();
  const navigation = useNavigation();

  const signOutError = error && (
    <div className={layout === "full" ? "border-b border-border px-4 py-3" : "mb-6"}>
      <Alert title="You're still signed in" onDismiss={dismissError}>
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
            Skip to content
          </a>
          <TopBar user={user} />
          {navigation.state === "loading" && (
            <div
              role="progressbar"
              aria-label="Loading page"
              className="fixed inset-x-0 top-0 z-50 h-0.5 overflow-hidden bg-brand/20"
            >
              <div className="h-full w-1/3 bg-brand motion-safe:animate-[progress_1s_ease-in-out_infinite]" />
            </div>
          )}
          <main id="main" tabIndex={-1} className={MAIN_CLASS[layout]}>
            {signOutError}
            <Outlet />
          </main>
        </div>
      </ChatStreamsProvider>
    </SessionActionsContext>
  );
}
