import { useLingui } from "@lingui/react/macro";
import { useId } from "react";
import { CopyButton } from "../CopyButton.tsx";

/** A freshly issued one-time link: shown once (only its hash is stored), to copy and hand over. */
export function OneTimeLink({
  label,
  copyLabel,
  url,
  note,
}: {
  label: string;
  /** The copy button's name, e.g. "Copy reset link". */
  copyLabel?: string;
  url: string;
  note: string;
}) {
  const { t } = useLingui();
  const id = useId();
  const lowerLabel = label.toLowerCase();
  return (
    <div className="space-y-1.5 rounded-lg border border-brand/25 bg-brand-soft/40 p-3">
      <label htmlFor={id} className="block text-sm font-medium text-fg">
        {label}
      </label>
      <div className="flex items-center gap-2">
        <input
          id={id}
          readOnly
          value={url}
          onFocus={(event) => event.currentTarget.select()}
          className="block h-9 min-w-0 flex-1 rounded-md border border-border bg-surface px-2.5 font-mono text-xs text-fg"
        />
        <CopyButton text={url} label={copyLabel ?? t`Copy ${lowerLabel}`} showLabel />
      </div>
      <p className="text-xs text-fg-muted">{note}</p>
    </div>
  );
}
