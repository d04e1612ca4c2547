import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";

/**
 * The chat screen's keyboard shortcuts. Each acts on the element marked `data-shortcut="…"`, so
 * the screens keep their own state and only say which element is the search box, the composer and
 * the stop button. Listed in the help dialog that `?` opens.
 */
export interface Shortcut {
  /** Shown in the help dialog, e.g. ["Ctrl", "K"]. */
  keys: readonly string[];
  description: MessageDescriptor;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ["Ctrl", "Shift", "O"], description: msg`New chat` },
  { keys: ["Ctrl", "K"], description: msg`Search chats` },
  { keys: ["Shift", "Esc"], description: msg`Focus the message box` },
  { keys: ["Esc"], description: msg`Stop the answer being written` },
  { keys: ["?"], description: msg`Show these shortcuts` },
];

export type ShortcutAction = "new-chat" | "search" | "composer" | "stop" | "help";

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** Which shortcut a key press is, if any (⌘ counts as Ctrl on a Mac). */
export function shortcutOf(event: KeyboardEvent): ShortcutAction | null {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (mod && event.shiftKey && key === "o") return "new-chat";
  if (mod && !event.shiftKey && key === "k") return "search";
  if (event.shiftKey && key === "escape") return "composer";
  // A dialog's Escape closes the dialog; only an Escape outside one stops an answer.
  if (key === "escape" && !document.querySelector("dialog[open]")) return "stop";
  if (event.key === "?" && !mod && !isTyping(event.target)) return "help";
  return null;
}

/** The element a screen marked for a shortcut, if it is showing. */
export function shortcutTarget(name: "search" | "composer" | "stop"): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-shortcut="${name}"]`);
}
