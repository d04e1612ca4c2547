import { useLocation } from "react-router";

/**
 * How the signed-in shell lays out a screen:
 * - "page" (default): a centred column that scrolls with the window (profile);
 * - "wide": the same, wider (the admin screens' tables and charts);
 * - "full": the screen fills the space under the top bar and scrolls inside itself (chat).
 */
export type ShellLayout = "page" | "wide" | "full";

const LAYOUT_BY_SECTION: readonly [prefix: string, layout: ShellLayout][] = [
  ["/chat", "full"],
  ["/admin", "wide"],
];

export function useShellLayout(): ShellLayout {
  const { pathname } = useLocation();
  const found = LAYOUT_BY_SECTION.find(
    ([prefix]) => pathname === prefix || pathname.startsWith(`${prefix}/`),
  );
  return found?.[1] ?? "page";
}
