import { type LucideIcon, ShieldCheck, Sparkles, UserRound } from "lucide-react";
import type { UserRole } from "../lib/current-user.ts";

const ROLES: Record<UserRole, { label: string; Icon: LucideIcon; className: string }> = {
  user: { label: "User", Icon: UserRound, className: "bg-surface-muted text-fg-muted ring-border" },
  supervisor: {
    label: "Supervisor",
    Icon: Sparkles,
    className: "bg-amber-500/10 text-amber-700 ring-amber-500/25 dark:text-amber-300",
  },
  admin: { label: "Admin", Icon: ShieldCheck, className: "bg-brand-soft text-brand-text ring-brand/25" },
};

export function RoleBadge({ role }: { role: UserRole }) {
  const { label, Icon, className } = ROLES[role];
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full px-2.5 py-1 text-xs font-semibold ring-1 ring-inset ${className}`}
    >
      <Icon aria-hidden="true" className="size-3.5" />
      {label}
      <span className="sr-only"> role</span>
    </span>
  );
}
