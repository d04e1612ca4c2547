import { Activity, ChartColumn, type LucideIcon, ScrollText, Tags, UserPlus, UsersRound } from "lucide-react";
import { NavLink } from "react-router";
import type { UserRole } from "./types.ts";

interface Tab {
  to: string;
  label: string;
  icon: LucideIcon;
  /** The roles that may open the page. */
  roles: readonly UserRole[];
}

export const ADMIN_TABS: readonly Tab[] = [
  { to: "/admin/users", label: "Users", icon: UsersRound, roles: ["supervisor", "admin"] },
  { to: "/admin/accounts", label: "Accounts", icon: UserPlus, roles: ["admin"] },
  { to: "/admin/usage", label: "Usage", icon: ChartColumn, roles: ["admin"] },
  { to: "/admin/live", label: "Live sessions", icon: Activity, roles: ["admin"] },
  { to: "/admin/models", label: "Models & prices", icon: Tags, roles: ["admin"] },
  { to: "/admin/audit", label: "Audit trail", icon: ScrollText, roles: ["admin"] },
];

/** The admin sub-navigation: only the pages this role may use. Scrolls sideways on a phone. */
export function AdminNav({ role }: { role: UserRole }) {
  const tabs = ADMIN_TABS.filter((tab) => tab.roles.includes(role));
  return (
    <nav aria-label="Admin" className="relative -mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
      <ul className="flex w-max min-w-full gap-1 border-b border-border">
        {tabs.map(({ to, label, icon: Icon }) => (
          <li key={to}>
            <NavLink
              to={to}
              className={({ isActive }) =>
                `-mb-px flex items-center gap-2 rounded-t-lg border-b-2 px-3 py-2.5 text-sm font-medium whitespace-nowrap transition-colors ${
                  isActive
                    ? "border-brand text-brand-text"
                    : "border-transparent text-fg-muted hover:border-border hover:text-fg"
                }`
              }
            >
              <Icon aria-hidden="true" className="size-4" />
              {label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
