import { useLingui } from "@lingui/react/macro";
import { SHORTCUTS } from "../lib/shortcuts.ts";
import { Dialog } from "./ui/Dialog.tsx";

/** The list of keyboard shortcuts, opened with `?`. */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useLingui();
  return (
    <Dialog
      title={t`Keyboard shortcuts`}
      description={t`On a Mac, ⌘ works where Ctrl is shown.`}
      onClose={onClose}
    >
      <dl className="divide-y divide-border text-sm">
        {SHORTCUTS.map((shortcut) => (
          <div key={shortcut.keys.join("+")} className="flex items-center justify-between gap-4 py-2">
            <dt className="text-fg">{t(shortcut.description)}</dt>
            <dd className="flex shrink-0 gap-1">
              {shortcut.keys.map((key) => (
                <kbd
                  key={key}
                  className="rounded-md border border-border bg-surface-muted px-1.5 py-0.5 font-mono text-xs text-fg"
                >
                  {key}
                </kbd>
              ))}
            </dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
