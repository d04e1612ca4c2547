import { Trans, useLingui } from "@lingui/react/macro";
import { PanelLeftOpen } from "lucide-react";
import type { ReactNode } from "react";
import { useChatOutlet } from "../../lib/chat/chat-outlet.ts";

/** The bar above a chat: the chat list toggle (phone width), the title, the demo badge. */
export function ChatHeader({
  title,
  demo,
  children,
}: {
  title: ReactNode;
  demo: boolean;
  children?: ReactNode;
}) {
  const { t } = useLingui();
  const { openSidebar, sidebarId, sidebarOpen } = useChatOutlet();
  return (
    <div className="flex h-14 shrink-0 items-center gap-2 border-b border-border bg-surface/60 px-3 sm:px-5">
      <button
        type="button"
        onClick={openSidebar}
        aria-label={t`Show chats`}
        aria-controls={sidebarId}
        aria-expanded={sidebarOpen}
        className="-ml-1 grid size-9 shrink-0 place-items-center rounded-lg text-fg-muted hover:bg-surface-muted hover:text-fg md:hidden"
      >
        <PanelLeftOpen aria-hidden="true" className="size-5" />
      </button>
      <h1 className="min-w-0 truncate text-base font-semibold tracking-tight text-fg">{title}</h1>
      {demo && <DemoBadge />}
      {children && <div className="ml-auto flex items-center gap-2">{children}</div>}
    </div>
  );
}

export function DemoBadge() {
  const { t } = useLingui();
  return (
    <span
      title={t`Answers come from Parley's built-in demo model, not a real LLM.`}
      className="inline-flex shrink-0 items-center gap-1 rounded-full bg-amber-500/10 px-2.5 py-1 text-xs font-semibold text-amber-800 ring-1 ring-amber-500/25 ring-inset dark:text-amber-300"
    >
      <Trans>Demo mode</Trans>
    </span>
  );
}
