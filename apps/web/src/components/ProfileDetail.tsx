import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

interface ProfileDetailProps {
  icon: LucideIcon;
  label: string;
  children: ReactNode;
}

/** One term/description pair of the profile card; must sit inside a <dl>. */
export function ProfileDetail({ icon: Icon, label, children }: ProfileDetailProps) {
  return (
    <div className="flex items-start gap-3 px-6 py-4">
      <span className="mt-0.5 grid size-8 shrink-0 place-items-center rounded-lg bg-surface-muted text-fg-muted">
        <Icon aria-hidden="true" className="size-4" />
      </span>
      <div className="min-w-0">
        <dt className="text-xs font-medium tracking-wide text-fg-muted uppercase">{label}</dt>
        <dd className="mt-0.5 truncate text-sm font-medium text-fg">{children}</dd>
      </div>
    </div>
  );
}
