import { createContext, use } from "react";

export type SignOutScope = "this-device" | "everywhere";

export interface SessionActions {
  signOut: (scope: SignOutScope) => void;
  /** Which sign-out is in flight, so only that button shows a spinner. */
  pending: SignOutScope | null;
}

/** Provided by AppLayout so the user menu and the pages share one sign-out flow and its error. */
export const SessionActionsContext = createContext<SessionActions | null>(null);

export function useSessionActions(): SessionActions {
  const actions = use(SessionActionsContext);
  if (!actions) throw new Error("useSessionActions must be used below AppLayout.");
  return actions;
}
