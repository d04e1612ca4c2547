import type { AppRouter, inferRouterOutputs } from "@parley/api";
import { createContext, use } from "react";

export type CurrentUser = NonNullable<inferRouterOutputs<AppRouter>["auth"]["session"]>;
export type UserRole = CurrentUser["role"];

/** Filled by ProtectedRoute once auth.session has answered, so pages below never see a missing user. */
export const CurrentUserContext = createContext<CurrentUser | null>(null);

export function useCurrentUser(): CurrentUser {
  const user = use(CurrentUserContext);
  if (!user) throw new Error("useCurrentUser must be used below ProtectedRoute.");
  return user;
}
