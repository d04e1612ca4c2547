import { CreateAccountSection } from "../../components/admin/CreateAccountSection.tsx";
import { InvitationsSection } from "../../components/admin/InvitationsSection.tsx";
import { RequireAdmin } from "../../components/admin/RequireAdmin.tsx";
import { PageHeader } from "../../components/admin/ui.tsx";
import { trpc } from "../../lib/trpc.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

const MODE_TEXT = {
  open: "Anyone can create an account.",
  invite: "People need an invitation link to create an account.",
  closed: "Only admins create accounts.",
} as const;

/** Invitations and accounts made by admins (admins only). */
export function AccountsPage() {
  useDocumentTitle("Accounts");
  const policy = trpc.auth.registrationMode.useQuery();
  return (
    <RequireAdmin reason="Only admins invite people and create accounts.">
      <div className="space-y-6">
        <PageHeader
          title="Accounts"
          description={
            policy.data
              ? `Registration: ${policy.data.mode}. ${MODE_TEXT[policy.data.mode]}`
              : "Invite people, or create their accounts."
          }
        />
        {policy.data?.mode !== "closed" && <InvitationsSection />}
        <CreateAccountSection />
      </div>
    </RequireAdmin>
  );
}
