import { lazy, Suspense } from "react";
import { Navigate, Outlet, useLocation } from "react-router";
import { CurrentUserContext } from "../lib/current-user.ts";
import { errorCode } from "../lib/errors.ts";
import { loginPathFor } from "../lib/safe-redirect.ts";
import { trpc } from "../lib/trpc.ts";
import { FullPageSpinner } from "./ui/Spinner.tsx";

// Shown only when the account cannot be loaded: loaded then.
const LoadErrorScreen = lazy(async () => ({
  default: (await import("./LoadErrorScreen.tsx")).LoadErrorScreen,
}));

export function ProtectedRoute() {
  // auth.session answers null rather than 401 when nobody is signed in: no error in the console.
  const session = trpc.auth.session.useQuery();
  const location = useLocation();

  if (session.data === null || errorCode(session.error) === "UNAUTHORIZED") {
    return <Navigate to={loginPathFor(`${location.pathname}${location.search}${location.hash}`)} replace />;
  }
  if (session.data) {
    return (
      <CurrentUserContext value={session.data}>
        <Outlet />
      </CurrentUserContext>
    );
  }
  if (session.isPending) return <FullPageSpinner label="Loading your account…" />;
  return (
    <Suspense fallback={<FullPageSpinner label="Loading your account…" />}>
      <LoadErrorScreen query={session} />
    </Suspense>
  );
}
