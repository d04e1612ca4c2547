import type { ComponentProps } from "react";

type ScrollAreaProps = ComponentProps<"div"> & {
  /** "section" with an aria-label makes it a named region (the message log). */
  as?: "div" | "section";
};

/**
 * A box that scrolls on its own. It is focusable, so keyboard users can reach it and scroll it with
 * the arrow keys (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
export function ScrollArea({ as = "div", ...props }: ScrollAreaProps) {
  if (as === "section") {
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    return <section tabIndex={0} {...props} />;
  }
  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
  return <div tabIndex={0} {...props} />;
}
