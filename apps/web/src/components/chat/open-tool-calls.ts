import { createContext, useContext, useMemo, useState } from "react";

/** Which tool calls' details a reader has opened, by tool call id. */
export interface OpenToolCalls {
  isOpen(id: string): boolean;
  setOpen(id: string, open: boolean): void;
}

// Kept above the answers rather than in each <details>: when an answer settles, the streamed copy
// gives way to the stored one (a new element with the same tool call ids), and what the reader
// opened while it streamed should stay open.
export const OpenToolCallsContext = createContext<OpenToolCalls | null>(null);

/** The open tool calls of one conversation, for OpenToolCallsContext. */
export function useOpenToolCallsState(): OpenToolCalls {
  const [open, setOpenIds] = useState<ReadonlySet<string>>(() => new Set());
  return useMemo(
    () => ({
      isOpen: (id) => open.has(id),
      setOpen: (id, isOpen) =>
        setOpenIds((ids) => {
          if (ids.has(id) === isOpen) return ids;
          const next = new Set(ids);
          if (isOpen) next.add(id);
          else next.delete(id);
          return next;
        }),
    }),
    [open],
  );
}

/** Whether this tool call's details are open: the conversation's record, or the view's own state. */
export function useToolCallOpen(id: string): [boolean, (open: boolean) => void] {
  const shared = useContext(OpenToolCallsContext);
  const [ownOpen, setOwnOpen] = useState(false);
  return shared ? [shared.isOpen(id), (open) => shared.setOpen(id, open)] : [ownOpen, setOwnOpen];
}
