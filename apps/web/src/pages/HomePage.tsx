import { CalendarDays, Clock, LogOut, Mail, MonitorSmartphone, UserRound } from "lucide-react";
import { Avatar } from "../components/Avatar.tsx";
import { Button } from "../components/Button.tsx";
import { ProfileDetail } from "../components/ProfileDetail.tsx";
import { RoleBadge } from "../components/RoleBadge.tsx";
import { useCurrentUser } from "../lib/current-user.ts";
import { formatDate, formatDateTime, formatRelative } from "../lib/format.ts";
import { useSessionActions } from "../lib/session-actions.ts";
import { useDocumentTitle } from "../lib/use-document-title.ts";

export function HomePage() {
  const user = useCurrentUser();
  const { signOut, pending } = useSessionActions();
  useDocumentTitle("Home");

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
                Welcome, {user.displayName}
              </h1>
              <p className="mt-0.5 truncate text-sm text-fg-muted">@{user.username}</p>
            </div>
          </div>
          <div>
            <RoleBadge role={user.role} />
          </div>
        </div>
        <dl className="grid border-t border-border sm:grid-cols-2">
          <ProfileDetail icon={UserRound} label="Display name">
            {user.displayName}
          </ProfileDetail>
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

      <section
        aria-labelledby="sessions-heading"
        className="rounded-2xl border border-border bg-surface p-6 shadow-sm"
      >
        <div className="flex items-start gap-3">
          <span className="grid size-9 shrink-0 place-items-center rounded-lg bg-surface-muted text-fg-muted">
            <MonitorSmartphone aria-hidden="true" className="size-4.5" />
          </span>
          <div>
            <h2 id="sessions-heading" className="text-base font-semibold text-fg">
              Sessions
            </h2>
            <p className="mt-1 text-sm text-fg-muted">
              Signing out everywhere ends every session on every device, including this one. Use it if you
              lost a device or signed in somewhere you shouldn't have.
            </p>
          </div>
        </div>
        <div className="mt-5 flex flex-col gap-3 sm:flex-row sm:justify-end">
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
      </section>
    </div>
  );
}
