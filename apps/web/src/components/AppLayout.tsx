import { Outlet } from "react-router";
import { useCurrentUser } from "../lib/current-user.ts";
import { SessionActionsContext } from "../lib/session-actions.ts";
import { useSignOut } from "../lib/use-sign-out.ts";
import { Alert } from "./Alert.tsx";
import { TopBar } from "./TopBar.tsx";

/** The signed-in shell: top bar, and one sign-out flow shared by the menu and the pages. */
export function AppLayout() {
  const user = useCurrentUser();
  const { error, dismissError, signOut, pending } = useSignOut();

  return (
    <SessionActionsContext value={{ signOut, pending }}>
      <div className="flex min-h-dvh flex-col">
        <a
          href="#main"
          className="sr-only rounded-lg bg-surface px-4 py-2 text-sm font-medium text-fg shadow-lg focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50"
        >
          Skip to content
        </a>
        <TopBar user={user} />
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-4xl flex-1 px-4 py-8 sm:px-6 lg:py-12">
          {error && (
            <div className="mb-6">
              <Alert title="You're still signed in" onDismiss={dismissError}>
                {error}
              </Alert>
            </div>
          )}
          <Outlet />
        </main>
      </div>
    </SessionActionsContext>
  );
}
