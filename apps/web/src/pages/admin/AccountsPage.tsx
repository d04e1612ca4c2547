import { msg } from "@lingui/core/macro";
import { useLingui } from "@lingui/react/macro";
import { CreateAccountSection } from "../../components/admin/CreateAccountSection.tsx";
import { InvitationsSection } from "../../components/admin/InvitationsSection.tsx";
import { RequireAdmin } from "../../components/admin/RequireAdmin.tsx";
import { PageHeader } from "../../components/ui/Section.tsx";
import { trpc } from "../../lib/trpc.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

const MODE_TEXT = {
  open: msg`Registration: open. Anyone can create an account.`,
  invite: msg`Registration: invite. People need an invitation link to create an account.`,
  closed: msg`Registration: closed. Only admins create accounts.`,
} as const;

/** Invitations and accounts made by admins (admins only). */
export function AccountsPage() {
  const { t } = useLingui();
  useDocumentTitle(t`Accounts`);
  const policy = trpc.auth.registrationMode.useQuery();
  return (
    <RequireAdmin reason={t`Only admins invite people and create accounts.`}>
      <div className="space-y-6">
        <PageHeader
          title={t`Accounts`}
          description={
            policy.data ? t(MODE_TEXT[policy.data.mode]) : t`Invite people, or create their accounts.`
          }
        />
        {policy.data?.mode !== "closed" && <InvitationsSection />}
        <CreateAccountSection />
      </div>
    </RequireAdmin>
  );
}
