import { Navigate, Outlet, useSearchParams } from "react-router";
import { safeNextPath } from "../lib/safe-redirect.ts";
import { trpc } from "../lib/trpc.ts";

/**
 * Wraps the sign-in and registration pages: someone already signed in is sent on to where they
 * were going. The form renders at once rather than waiting for auth.me, since most visitors here
 * are signed out.
 */
export function GuestOnly() {
  const me = trpc.auth.me.useQuery();
  const [params] = useSearchParams();
  // isSuccess, not data: after a failed refetch the old user is still cached but no longer valid.
  if (me.isSuccess) return <Navigate to={safeNextPath(params.get("next"))} replace />;
  return <Outlet />;
}
