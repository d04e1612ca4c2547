import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { errorCode, errorMessage } from "./errors.ts";
import type { SessionActions, SignOutScope } from "./session-actions.ts";
import { trpc } from "./trpc.ts";

export interface SignOutState extends SessionActions {
  error: string | null;
  dismissError: () => void;
}

export function useSignOut(): SignOutState {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const logout = trpc.auth.logout.useMutation();
  const logoutEverywhere = trpc.auth.logoutEverywhere.useMutation();

  const finish = () => {
    // Clear before navigating: the sign-in page redirects away while it still sees a cached user.
    queryClient.clear();
    navigate("/login", { replace: true });
  };

  const signOut = (scope: SignOutScope) => {
    setError(null);
    const mutation = scope === "everywhere" ? logoutEverywhere : logout;
    mutation.mutate(undefined, {
      onSuccess: finish,
      onError: (cause) => {
        // The session already ended elsewhere (expired, revoked): the goal is reached anyway.
        if (errorCode(cause) === "UNAUTHORIZED") finish();
        else setError(errorMessage(cause));
      },
    });
  };

  const pending = logout.isPending ? "this-device" : logoutEverywhere.isPending ? "everywhere" : null;
  return { signOut, pending, error, dismissError: () => setError(null) };
}
