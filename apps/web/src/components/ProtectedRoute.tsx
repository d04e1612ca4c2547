import { Navigate, Outlet, useLocation } from "react-router";
import { CurrentUserContext } from "../lib/current-user.ts";
import { errorCode } from "../lib/errors.ts";
import { loginPathFor } from "../lib/safe-redirect.ts";
import { trpc } from "../lib/trpc.ts";
import { LoadErrorScreen } from "./LoadErrorScreen.tsx";
import { FullPageSpinner } from "./Spinner.tsx";

export function ProtectedRoute() {
  const me = trpc.auth.me.useQuery();
  const location = useLocation();

  // Checked before the data: a refetch that finds the session gone keeps the old user cached.
  if (errorCode(me.error) === "UNAUTHORIZED") {
    return <Navigate to={loginPathFor(`${location.pathname}${location.search}${location.hash}`)} replace />;
  }
  if (me.data) {
    return (
      <CurrentUserContext value={me.data}>
        <Outlet />
      </CurrentUserContext>
    );
  }
  if (me.isPending) return <FullPageSpinner label="Loading your account…" />;
  return <LoadErrorScreen error={me.error} retrying={me.isFetching} onRetry={() => void me.refetch()} />;
}
