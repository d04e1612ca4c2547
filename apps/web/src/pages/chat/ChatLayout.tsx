import { useCallback, useEffect, useId, useRef, useState } from "react";
import { Outlet, useLocation } from "react-router";
import { SessionSidebar } from "../../components/chat/SessionSidebar.tsx";
import type { ChatOutletContext } from "../../lib/chat/chat-outlet.ts";

/** The chat screen's frame: the chat list beside the open chat (a drawer at phone width). */
export function ChatLayout() {
  const sidebarId = useId();
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLElement | null>(null);
  const location = useLocation();

  const openSidebar = useCallback(() => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setOpen(true);
  }, []);
  const closeSidebar = useCallback(() => {
    setOpen((wasOpen) => {
      if (wasOpen) queueMicrotask(() => opener.current?.focus());
      return false;
    });
  }, []);

  // Any navigation (a chat picked, New chat) closes the drawer.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation only
  useEffect(() => setOpen(false), [location.pathname]);

  // The drawer only exists at phone width: growing the window past it closes it.
  useEffect(() => {
    if (!open) return;
    const wide = window.matchMedia("(min-width: 48rem)");
    const onChange = () => {
      if (wide.matches) setOpen(false);
    };
    wide.addEventListener("change", onChange);
    return () => wide.removeEventListener("change", onChange);
  }, [open]);

  const context: ChatOutletContext = { openSidebar, sidebarId, sidebarOpen: open };
  return (
    <div className="flex min-h-0 flex-1">
      <SessionSidebar id={sidebarId} open={open} onClose={closeSidebar} />
      <div inert={open || undefined} className="flex min-w-0 flex-1 flex-col">
        <Outlet context={context} />
      </div>
    </div>
  );
}
