import { Trans, useLingui } from "@lingui/react/macro";
import {
  CalendarDays,
  Clock,
  KeyRound,
  Languages,
  LogOut,
  Mail,
  MonitorSmartphone,
  UserRound,
} from "lucide-react";
import { useEffect } from "react";
import { useLocation } from "react-router";
import { Avatar } from "../components/Avatar.tsx";
import { LanguagePicker } from "../components/LanguagePicker.tsx";
import { ProfileDetail } from "../components/ProfileDetail.tsx";
import { DisplayNameForm, PasswordForm } from "../components/profile/AccountForms.tsx";
import { ApiKeysSection } from "../components/profile/ApiKeysSection.tsx";
import { CreditHistorySection } from "../components/profile/CreditHistorySection.tsx";
import { CreditsSection } from "../components/profile/CreditsSection.tsx";
import { UsageSection } from "../components/profile/UsageSection.tsx";
import { RoleBadge } from "../components/RoleBadge.tsx";
import { Button } from "../components/ui/Button.tsx";
import { Section } from "../components/ui/Section.tsx";
import { useChatConfig } from "../lib/chat/use-chat-config.ts";
import { useCurrentUser } from "../lib/current-user.ts";
import { formatDate, formatDateTime, formatRelative } from "../lib/format.ts";
import { useSessionActions } from "../lib/session-actions.ts";
import { useDocumentTitle } from "../lib/use-document-title.ts";

/** /profile: the account, its credits and usage, and the sign-out controls. Loaded on demand. */
export function ProfilePage() {
  const { t } = useLingui();
  const user = useCurrentUser();
  const { signOut, pending } = useSessionActions();
  const { setup } = useChatConfig();
  const location = useLocation();
  useDocumentTitle(t`Your profile`);

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
          <ProfileDetail icon={Mail} label={t`Email`}>
            {user.email}
          </ProfileDetail>
          <ProfileDetail icon={CalendarDays} label={t`Member since`}>
            <time dateTime={user.createdAt.toISOString()}>{formatDate(user.createdAt)}</time>
          </ProfileDetail>
          <ProfileDetail icon={Clock} label={t`Last sign-in`}>
            {user.lastLoginAt ? (
              <time dateTime={user.lastLoginAt.toISOString()} title={formatDateTime(user.lastLoginAt)}>
                {formatRelative(user.lastLoginAt)}
              </time>
            ) : (
              <span className="font-normal text-fg-muted">
                <Trans>No sign-in recorded yet</Trans>
              </span>
            )}
          </ProfileDetail>
        </dl>
      </section>

      <CreditsSection />
      <UsageSection setup={setup} />
      <CreditHistorySection setup={setup} />

      <div className="grid gap-6 lg:grid-cols-2">
        <Section
          id="name"
          icon={UserRound}
          title={t`Display name`}
          description={t`Shown in the top bar and to administrators.`}
        >
          <DisplayNameForm user={user} />
        </Section>
        <Section
          id="password"
          icon={KeyRound}
          title={t`Password`}
          description={t`Changing it signs you out on your other devices; this one stays signed in.`}
        >
          <PasswordForm username={user.username} />
        </Section>
      </div>

      <ApiKeysSection user={user} />

      <Section
        id="language"
        icon={Languages}
        title={t`Language`}
        description={t`The language of Parley's screens in this browser; dates and numbers follow it.`}
      >
        <LanguagePicker />
      </Section>

      <Section
        id="sessions"
        icon={MonitorSmartphone}
        title={t`Sessions`}
        description={t`Signing out everywhere ends every session on every device, including this one. Use it if you lost a device or signed in somewhere you shouldn't have.`}
      >
        <div className="flex flex-col gap-3 sm:flex-row sm:justify-end">
          <Button
            variant="secondary"
            icon={<LogOut aria-hidden="true" className="size-4" />}
            loading={pending === "this-device"}
            disabled={pending !== null}
            onClick={() => signOut("this-device")}
          >
            <Trans>Sign out</Trans>
          </Button>
          <Button
            variant="danger"
            icon={<MonitorSmartphone aria-hidden="true" className="size-4" />}
            loading={pending === "everywhere"}
            disabled={pending !== null}
            onClick={() => signOut("everywhere")}
          >
            <Trans>Sign out everywhere</Trans>
          </Button>
        </div>
      </Section>
    </div>
  );
}
