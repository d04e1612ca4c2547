import { CalendarDays, Clock, KeyRound, LogOut, Mail, MonitorSmartphone, UserRound } from "lucide-react";
import { useEffect } from "react";
import { useLocation } from "react-router";
import { Avatar } from "../components/Avatar.tsx";
import { Button } from "../components/Button.tsx";
import { ProfileDetail } from "../components/ProfileDetail.tsx";
import { DisplayNameForm, PasswordForm } from "../components/profile/AccountForms.tsx";
import { ApiKeysSection } from "../components/profile/ApiKeysSection.tsx";
import { CreditsSection } from "../components/profile/CreditsSection.tsx";
import { LedgerSection } from "../components/profile/LedgerSection.tsx";
import { Section } from "../components/profile/Section.tsx";
import { UsageSection } from "../components/profile/UsageSection.tsx";
import { RoleBadge } from "../components/RoleBadge.tsx";
import { useChatConfig } from "../lib/chat/use-chat-config.ts";
import { useCurrentUser } from "../lib/current-user.ts";
import { formatDate, formatDateTime, formatRelative } from "../lib/format.ts";
import { useSessionActions } from "../lib/session-actions.ts";
import { useDocumentTitle } from "../lib/use-document-title.ts";

/** /profile: the account, its credits and usage, and the sign-out controls. Loaded on demand. */
export function ProfilePage() {
  const user = useCurrentUser();
  const { signOut, pending } = useSessionActions();
  const { setup } = useChatConfig();
  const location = useLocation();
  useDocumentTitle("Your profile");

  // /profile#credits (the balance in the top bar links there): the router does not scroll to hashes.
  useEffect(() => {
    if (!location.hash) return;
    document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  }, [location.hash]);

  return (
    <div className="space-y-6">
      <section
        aria-labelledby="profile-heading"
        className="overflow-hidden rounded-2xl border border-border bg-surface shadow-sm"
      >
        <div aria-hidden="true" className="h-24 bg-linear-to-r from-brand to-brand/40 sm:h-28" />
        <div className="flex flex-col gap-4 px-6 pb-6 sm:flex-row sm:items-end sm:justify-between">
          <div className="flex flex-col gap-4 sm:flex-row sm:items-end">
            <Avatar name={user.displayName} size="lg" className="-mt-10 ring-4 ring-surface" />
            <div className="min-w-0">
              <h1 id="profile-heading" className="text-2xl font-semibold tracking-tight break-words text-fg">
                {user.displayName}
              </h1>
              <p className="mt-0.5 truncate text-sm text-fg-muted">@{user.username}</p>
            </div>
          </div>
          <div>
            <RoleBadge role={user.role} />
          </div>
        </div>
        <dl className="grid border-t border-border sm:grid-cols-2">
          <ProfileDetail icon={Mail} label="Email">
            {user.email}
          </ProfileDetail>
          <ProfileDetail icon={CalendarDays} label="Member since">
            <time dateTime={user.createdAt.toISOString()}>{formatDate(user.createdAt)}</time>
          </ProfileDetail>
          <ProfileDetail icon={Clock} label="Last sign-in">
            {user.lastLoginAt ? (
              <time dateTime={user.lastLoginAt.toISOString()} title={formatDateTime(user.lastLoginAt)}>
                {formatRelative(user.lastLoginAt)}
              </time>
            ) : (
              <span className="font-normal text-fg-muted">No sign-in recorded yet</span>
            )}
          </ProfileDetail>
        </dl>
      </section>

      <CreditsSection />
      <UsageSection setup={setup} />
      <LedgerSection />

      <div className="grid gap-6 lg:grid-cols-2">
        <Section
          id="name"
          icon={UserRound}
          title="Display name"
          description="Shown in the top bar and to administrators."
        >
          <DisplayNameForm user={user} />
        </Section>
        <Section
          id="password"
          icon={KeyRound}
          title="Password"
          description="Changing it signs you out on your other devices; this one stays signed in."
        >
          <PasswordForm username={user.username} />
        </Section>
      </div>

      <ApiKeysSection user={user} />

      <Section
        id="sessions"
        icon={MonitorSmartphone}
        title="Sessions"
        description="Signing out everywhere ends every session on every device, including this one. Use it if you lost a device or signed in somewhere you shouldn't have."
      >
        <div className="flex flex-col gap-3 sm:flex-row sm:justify-end">
          <Button
            variant="secondary"
            icon={<LogOut aria-hidden="true" className="size-4" />}
            loading={pending === "this-device"}
            disabled={pending !== null}
            onClick={() => signOut("this-device")}
          >
            Sign out
          </Button>
          <Button
            variant="danger"
            icon={<MonitorSmartphone aria-hidden="true" className="size-4" />}
            loading={pending === "everywhere"}
            disabled={pending !== null}
            onClick={() => signOut("everywhere")}
          >
            Sign out everywhere
          </Button>
        </div>
      </Section>
    </div>
  );
}
