import { Trans } from "@lingui/react/macro";
import { ChevronRight, Wrench } from "lucide-react";
import { ScrollArea } from "../ui/ScrollArea.tsx";
import { Spinner } from "../ui/Spinner.tsx";
import { useToolCallOpen } from "./open-tool-calls.ts";

interface ToolCallViewProps {
  /** The tool call's id, which keeps its details open or closed across the answer's re-renders. */
  id: string;
  name: string;
  args: unknown;
  /** Null while the tool is still running. */
  result: string | null;
  running?: boolean;
}

function pretty(value: unknown): string {
  if (typeof value === "string") {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** A tool the model used, inline in the answer: collapsed to its name, expandable to its data. */
export function ToolCallView({ id, name, args, result, running = false }: ToolCallViewProps) {
  const [open, setOpen] = useToolCallOpen(id);
  return (
    <details
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
      className="group/tool my-2 rounded-xl border border-border bg-surface-muted/60 text-sm"
    >
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-xl px-3 py-2 text-fg-muted select-none hover:text-fg [&::-webkit-details-marker]:hidden">
        <ChevronRight
          aria-hidden="true"
          className="size-4 shrink-0 transition-transform group-open/tool:rotate-90"
        />
        <Wrench aria-hidden="true" className="size-3.5 shrink-0" />
        <span>
          <Trans>
            Used tool <span className="font-mono font-semibold text-fg">{name}</span>
          </Trans>
        </span>
        {running && result === null && (
          <span className="ml-auto inline-flex items-center gap-1.5 text-xs">
            <Spinner className="size-3.5" />
            <Trans>Running…</Trans>
          </span>
        )}
      </summary>
      <div className="space-y-3 border-t border-border px-3 py-3">
        <div>
          <p className="mb-1 text-xs font-semibold tracking-wide text-fg-muted uppercase">
            <Trans>Arguments</Trans>
          </p>
          <ScrollArea className="overflow-x-auto rounded-lg bg-code-bg">
            <pre className="p-3 font-mono text-xs text-code-fg">{pretty(args)}</pre>
          </ScrollArea>
        </div>
        <div>
          <p className="mb-1 text-xs font-semibold tracking-wide text-fg-muted uppercase">
            <Trans>Result</Trans>
          </p>
          {result === null ? (
            <p className="text-xs text-fg-muted">
              {running ? <Trans>Waiting for the tool…</Trans> : <Trans>No result was recorded.</Trans>}
            </p>
          ) : (
            <ScrollArea className="overflow-x-auto rounded-lg bg-code-bg">
              <pre className="p-3 font-mono text-xs text-code-fg">{pretty(result)}</pre>
            </ScrollArea>
          )}
        </div>
      </div>
    </details>
  );
}
