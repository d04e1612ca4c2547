import { useLingui } from "@lingui/react/macro";
import { Outlet } from "react-router";
import { AdminNav } from "../../components/admin/AdminNav.tsx";
import { NotAllowed } from "../../components/admin/NotAllowed.tsx";
import { useCurrentUser } from "../../lib/current-user.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

/** The frame of every admin screen: the section's tabs above the page. Users get a polite "no". */
export function AdminLayout() {
  const user = useCurrentUser();
  if (user.role === "user") return <NotAllowedScreen />;
  return (
    <div className="space-y-6">
      <AdminNav role={user.role} />
      <Outlet />
    </div>
  );
}

function NotAllowedScreen() {
  const { t } = useLingui();
  useDocumentTitle(t`Not allowed`);
  return <NotAllowed reason={t`Administration is for supervisors and admins.`} />;
}
