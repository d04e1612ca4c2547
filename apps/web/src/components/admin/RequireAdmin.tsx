import { useLingui } from "@lingui/react/macro";
import type { ReactNode } from "react";
import { useCurrentUser } from "../../lib/current-user.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";
import { NotAllowed } from "./NotAllowed.tsx";

/**
 * Renders its children for admins only; supervisors get the "not allowed" state at once instead
 * of a request the API would refuse.
 */
export function RequireAdmin({ reason, children }: { reason: string; children: ReactNode }) {
  const user = useCurrentUser();
  if (user.role !== "admin") return <NotAllowedPage reason={reason} />;
  return children;
}

function NotAllowedPage({ reason }: { reason: string }) {
  const { t } = useLingui();
  useDocumentTitle(t`Not allowed`);
  return <NotAllowed reason={reason} back={{ to: "/admin/users", label: t`Back to users` }} />;
}
