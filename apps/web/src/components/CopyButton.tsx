import { useLingui } from "@lingui/react/macro";
import { Check, Copy } from "lucide-react";
import { useEffect, useState } from "react";
import { copyText } from "../lib/clipboard.ts";

interface CopyButtonProps {
  /** The text, or a function that reads it when the button is pressed. */
  text: string | (() => string);
  /** The button's name, e.g. "Copy code". */
  label: string;
  className?: string;
  /** Show the label next to the icon (else it is for screen readers only). */
  showLabel?: boolean;
}

/** Copies `text`; says "Copied" for a moment (announced politely to screen readers). */
export function CopyButton({ text, label, className = "", showLabel = false }: CopyButtonProps) {
  const { t } = useLingui();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  const status = state === "copied" ? t`Copied` : state === "failed" ? t`Copy failed` : "";
  return (
    <span className="inline-flex">
      <button
        type="button"
        onClick={async () => {
          const value = typeof text === "function" ? text() : text;
          setState((await copyText(value)) ? "copied" : "failed");
        }}
        title={label}
        className={`inline-flex items-center gap-1.5 rounded-md px-1.5 py-1 text-xs font-medium text-fg-muted transition-colors hover:bg-surface-muted hover:text-fg ${className}`}
      >
        {state === "copied" ? (
          <Check aria-hidden="true" className="size-3.5 text-emerald-600 dark:text-emerald-400" />
        ) : (
          <Copy aria-hidden="true" className="size-3.5" />
        )}
        <span className={showLabel ? "" : "sr-only"}>{label}</span>
      </button>
      {/* Outside the button, so its name stays the same while the status is announced. */}
      <span role="status" className="sr-only">
        {status}
      </span>
    </span>
  );
}
