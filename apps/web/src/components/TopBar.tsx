import { Trans, useLingui } from "@lingui/react/macro";
import { MessagesSquare, ShieldCheck } from "lucide-react";
import type { ReactNode } from "react";
import { Link, NavLink } from "react-router";
import type { CurrentUser } from "../lib/current-user.ts";
import { BalancePill } from "./BalancePill.tsx";
import { Logo } from "./Logo.tsx";
import { ThemePicker } from "./ThemePicker.tsx";
import { UserMenu } from "./UserMenu.tsx";

function NavItem({
  to,
  icon,
  children,
  className = "inline-flex",
}: {
  to: string;
  icon: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <NavLink
      to={to}
      className={({ isActive }) =>
        `${className} h-9 items-center gap-2 rounded-lg px-2.5 text-sm font-medium transition-colors sm:px-3 ${
          isActive ? "bg-brand-soft text-brand-text" : "text-fg-muted hover:bg-surface-muted hover:text-fg"
        }`
      }
    >
      {icon}
      <span className="sr-only sm:not-sr-only">{children}</span>
    </NavLink>
  );
}

export function TopBar({ user }: { user: CurrentUser }) {
  const { t } = useLingui();
  const staff = user.role === "supervisor" || user.role === "admin";
  return (
    <header className="sticky top-0 z-30 shrink-0 border-b border-border bg-surface/85 backdrop-blur-md">
      <div className="flex h-16 w-full items-center gap-2 px-3 sm:gap-4 sm:px-5">
        <Link to="/chat" className="shrink-0 rounded-lg" aria-label={t`Parley, new chat`}>
          <span className="hidden sm:inline">
            <Logo />
          </span>
          <span className="sm:hidden">
            <Logo compact />
          </span>
        </Link>
        <nav aria-label={t`Main`} className="flex items-center gap-1">
          {/* At phone width the logo alone leads to the chat. */}
          <NavItem
            to="/chat"
            className="hidden sm:inline-flex"
            icon={<MessagesSquare aria-hidden="true" className="size-4" />}
          >
            <Trans>Chat</Trans>
          </NavItem>
          {staff && (
            <NavItem to="/admin" icon={<ShieldCheck aria-hidden="true" className="size-4" />}>
              <Trans>Admin</Trans>
            </NavItem>
          )}
        </nav>
        <div className="ml-auto flex items-center gap-2 sm:gap-3">
          <BalancePill />
          <ThemePicker />
          <UserMenu user={user} />
        </div>
      </div>
    </header>
  );
}
