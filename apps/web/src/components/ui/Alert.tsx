import { useLingui } from "@lingui/react/macro";
import { CircleExclamationPoint, X } from "lucide-react";
import type { ReactNode } from "react";

interface AlertProps {
  title?: string;
  children: ReactNode;
  onDismiss?: () => void;
}

/** An error that belongs to no single input. role="alert" makes screen readers announce it at once. */
export function Alert({ title, children, onDismiss }: AlertProps) {
  const { t } = useLingui();
  return (
    <div
      role="alert"
      className="flex items-start gap-3 rounded-lg border border-danger/25 bg-danger-soft px-3.5 py-3 text-sm text-fg"
    >
      <CircleExclamationPoint aria-hidden="true" className="mt-px size-4.5 shrink-0 text-danger" />
      <div className="min-w-0 flex-1 space-y-0.5">
        {title && <p className="font-semibold text-danger">{title}</p>}
        <div>{children}</div>
      </div>
      {onDismiss && (
        <button
          type="button"
          onClick={onDismiss}
          aria-label={t`Dismiss`}
          className="-m-1 rounded-md p-1 text-fg-muted transition-colors hover:bg-danger/10 hover:text-fg"
        >
          <X aria-hidden="true" className="size-4" />
        </button>
      )}
    </div>
  );
}
