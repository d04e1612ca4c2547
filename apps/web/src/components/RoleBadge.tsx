import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { useLingui } from "@lingui/react/macro";
import { type LucideIcon, ShieldCheck, Sparkles, UserRound } from "lucide-react";
import type { UserRole } from "../lib/current-user.ts";

const ROLES: Record<UserRole, { label: MessageDescriptor; Icon: LucideIcon; className: string }> = {
  user: { label: msg`User`, Icon: UserRound, className: "bg-surface-muted text-fg-muted ring-border" },
  supervisor: {
    label: msg`Supervisor`,
    Icon: Sparkles,
    className: "bg-amber-500/10 text-amber-700 ring-amber-500/25 dark:text-amber-300",
  },
  admin: {
    label: msg({ message: "Admin", context: "role" }),
    Icon: ShieldCheck,
    className: "bg-brand-soft text-brand-text ring-brand/25",
  },
};

export function RoleBadge({ role }: { role: UserRole }) {
  const { t } = useLingui();
  const { label, Icon, className } = ROLES[role];
  const roleName = t(label);
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full px-2.5 py-1 text-xs font-semibold ring-1 ring-inset ${className}`}
    >
      <Icon aria-hidden="true" className="size-3.5" />
      <span aria-hidden="true">{t(label)}</span>
      <span className="sr-only">{t`${roleName} role`}</span>
    </span>
  );
}
