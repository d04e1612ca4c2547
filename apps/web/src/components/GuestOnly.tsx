import { Navigate, Outlet, useSearchParams } from "react-router";
import { safeNextPath } from "../lib/safe-redirect.ts";
import { trpc } from "../lib/trpc.ts";

/**
 * Wraps the sign-in and registration pages: someone already signed in is sent on to where they
 * were going. The form renders at once rather than waiting for auth.session, since most visitors
 * here are signed out.
 */
export function GuestOnly() {
  const session = trpc.auth.session.useQuery();
  const [params] = useSearchParams();
  if (session.isSuccess && session.data) return <Navigate to={safeNextPath(params.get("next"))} replace />;
  return <Outlet />;
}
