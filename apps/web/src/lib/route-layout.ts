import { useMatches } from "react-router";

/**
 * How the signed-in shell lays out a screen, chosen by a route's `handle: { layout }`:
 * - "page" (default): a centred column that scrolls with the window (profile);
 * - "wide": the same, wider (tables);
 * - "full": the screen fills the space under the top bar and scrolls inside itself (chat).
 * The deepest route that sets it wins.
 */
export type ShellLayout = "page" | "wide" | "full";

function layoutOf(handle: unknown): ShellLayout | undefined {
  if (typeof handle !== "object" || handle === null || !("layout" in handle)) return undefined;
  const { layout } = handle;
  return layout === "page" || layout === "wide" || layout === "full" ? layout : undefined;
}

export function useShellLayout(): ShellLayout {
  const matches = useMatches();
  for (let i = matches.length - 1; i >= 0; i -= 1) {
    const layout = layoutOf(matches[i]?.handle);
    if (layout) return layout;
  }
  return "page";
}
