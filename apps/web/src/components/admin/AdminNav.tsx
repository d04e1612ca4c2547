import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { useLingui } from "@lingui/react/macro";
import {
  Activity,
  ChartColumn,
  type LucideIcon,
  MessageSquareHeart,
  ScrollText,
  Tags,
  UserPlus,
  UsersRound,
} from "lucide-react";
import { NavLink } from "react-router";
import type { UserRole } from "./types.ts";

interface Tab {
  to: string;
  label: MessageDescriptor;
  icon: LucideIcon;
  /** The roles that may open the page. */
  roles: readonly UserRole[];
}

export const ADMIN_TABS: readonly Tab[] = [
  { to: "/admin/users", label: msg`Users`, icon: UsersRound, roles: ["supervisor", "admin"] },
  { to: "/admin/accounts", label: msg`Accounts`, icon: UserPlus, roles: ["admin"] },
  { to: "/admin/usage", label: msg`Usage`, icon: ChartColumn, roles: ["admin"] },
  { to: "/admin/live", label: msg`Live sessions`, icon: Activity, roles: ["admin"] },
  { to: "/admin/models", label: msg`Models & prices`, icon: Tags, roles: ["admin"] },
  { to: "/admin/feedback", label: msg`Feedback`, icon: MessageSquareHeart, roles: ["admin"] },
  { to: "/admin/audit", label: msg`Audit trail`, icon: ScrollText, roles: ["admin"] },
];

/** The admin sub-navigation: only the pages this role may use. Wraps onto a second line on a phone. */
export function AdminNav({ role }: { role: UserRole }) {
  const { t } = useLingui();
  const tabs = ADMIN_TABS.filter((tab) => tab.roles.includes(role));
  return (
    <nav aria-label={t`Admin`}>
      <ul className="flex flex-wrap gap-x-1 border-b border-border">
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
              {t(label)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
