import { Trans } from "@lingui/react/macro";
import { Share2 } from "lucide-react";
import { lazy, Suspense, useState } from "react";

// Sharing and exporting are occasional: their dialog loads on the first click.
const ChatActionsDialog = lazy(async () => ({
  default: (await import("./ChatActionsDialog.tsx")).ChatActionsDialog,
}));

/** The chat header's "Share or export" button and the dialog it opens. */
export function ChatActionsButton({ sessionId, shareId }: { sessionId: string; shareId: string | null }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="inline-flex h-9 items-center gap-1.5 rounded-lg px-2.5 text-sm font-medium text-fg-muted hover:bg-surface-muted hover:text-fg"
      >
        <Share2 aria-hidden="true" className="size-4" />
        <span className="hidden sm:inline">
          <Trans>Share or export</Trans>
        </span>
        <span className="sr-only sm:hidden">
          <Trans>Share or export</Trans>
        </span>
      </button>
      {open && (
        <Suspense fallback={null}>
          <ChatActionsDialog sessionId={sessionId} shareId={shareId} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
