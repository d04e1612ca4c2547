import { lazy, Suspense, useEffect, useState } from "react";
import { useNavigate } from "react-router";
import { shortcutOf, shortcutTarget } from "../lib/shortcuts.ts";

// The help dialog loads the first time `?` is pressed.
const ShortcutsDialog = lazy(async () => ({
  default: (await import("./ShortcutsDialog.tsx")).ShortcutsDialog,
}));

/** Listens for the keyboard shortcuts (lib/shortcuts.ts) anywhere in the signed-in app. */
export function KeyboardShortcuts() {
  const navigate = useNavigate();
  const [helpOpen, setHelpOpen] = useState(false);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const action = shortcutOf(event);
      if (action === null) return;
      if (action === "stop") {
        // Escape does nothing else here unless an answer is being written.
        const stop = shortcutTarget("stop");
        if (stop instanceof HTMLButtonElement && !stop.disabled) stop.click();
        return;
      }
      event.preventDefault();
      if (action === "help") setHelpOpen(true);
      else if (action === "new-chat") navigate("/chat");
      else shortcutTarget(action)?.focus();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [navigate]);

  if (!helpOpen) return null;
  return (
    <Suspense fallback={null}>
      <ShortcutsDialog onClose={() => setHelpOpen(false)} />
    </Suspense>
  );
}
