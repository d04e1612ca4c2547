import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

interface ProfileDetailProps {
  icon: LucideIcon;
  label: string;
  children: ReactNode;
}

/**
 * One term/description pair of the profile card; must sit inside a <dl>. The group holds only its
 * <dt> and <dd> (as a definition list requires), so the icon is placed inside the term.
 */
export function ProfileDetail({ icon: Icon, label, children }: ProfileDetailProps) {
  return (
    <div className="relative min-w-0 py-4 pr-6 pl-17">
      <dt className="text-xs font-medium tracking-wide text-fg-muted uppercase">
        <span className="absolute top-4.5 left-6 grid size-8 place-items-center rounded-lg bg-surface-muted text-fg-muted">
          <Icon aria-hidden="true" className="size-4" />
        </span>
        {label}
      </dt>
      <dd className="mt-0.5 truncate text-sm font-medium text-fg">{children}</dd>
    </div>
  );
}
