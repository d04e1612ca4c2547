import { Trans } from "@lingui/react/macro";
import { CircleExclamationPoint } from "lucide-react";
import { type ComponentProps, type ReactNode, useId } from "react";

interface TextFieldProps extends Omit<ComponentProps<"input">, "id"> {
  label: string;
  name: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** Marks the field optional beside (not inside) the label, so the label text stays exact. */
  optional?: boolean;
}

export function TextField({
  label,
  hint,
  error,
  optional = false,
  className = "",
  ...input
}: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ");

  return (
    <div className={`space-y-1.5 ${className}`}>
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={id} className="text-sm font-medium text-fg">
          {label}
        </label>
        {optional && (
          <span className="text-xs text-fg-muted">
            <Trans>Optional</Trans>
          </span>
        )}
      </div>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        className="block h-11 w-full rounded-lg border border-border bg-surface px-3.5 text-base text-fg shadow-xs transition-[border-color,box-shadow] placeholder:text-fg-muted/70 focus:border-brand focus:ring-4 focus:ring-brand/15 focus:outline-none aria-invalid:border-danger aria-invalid:focus:ring-danger/15 sm:text-sm"
        {...input}
      />
      {hint && (
        <p id={hintId} className="text-xs text-fg-muted">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="flex items-start gap-1.5 text-sm text-danger">
          <CircleExclamationPoint aria-hidden="true" className="mt-0.5 size-3.5 shrink-0" />
          <span>{error}</span>
        </p>
      )}
    </div>
  );
}
