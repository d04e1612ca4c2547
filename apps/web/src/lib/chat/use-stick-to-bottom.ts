import { useCallback, useEffect, useRef, useState } from "react";

/** How close to the end counts as "at the bottom", in pixels. */
const THRESHOLD = 48;

/**
 * Keeps a scrolling log pinned to its end while it grows (an answer streaming in), until the
 * person scrolls up to read; scrolling back down, or `scrollToBottom`, pins it again.
 *
 * Only a move up un-pins. A scroll event arrives a frame after the scroll that caused it, when
 * the content may have grown meanwhile (the message just sent, rendered after `scrollToBottom`):
 * judging by the distance to the end alone, that growth looked like the person scrolling away,
 * and the answer streamed in off-screen.
 */
export function useStickToBottom() {
  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const [atBottom, setAtBottom] = useState(true);

  useEffect(() => {
    const scroller = scrollRef.current;
    const content = contentRef.current;
    if (!scroller || !content) return;
    let lastTop = scroller.scrollTop;
    const onScroll = () => {
      const top = scroller.scrollTop;
      const distance = scroller.scrollHeight - top - scroller.clientHeight;
      if (distance <= THRESHOLD) pinned.current = true;
      else if (top < lastTop) pinned.current = false;
      lastTop = top;
      setAtBottom(pinned.current);
      // Still pinned but not at the end (content grew since): catch up.
      if (pinned.current && distance > 0) scroller.scrollTop = scroller.scrollHeight;
    };
    const observer = new ResizeObserver(() => {
      if (pinned.current) scroller.scrollTop = scroller.scrollHeight;
    });
    scroller.addEventListener("scroll", onScroll, { passive: true });
    observer.observe(content);
    observer.observe(scroller);
    return () => {
      scroller.removeEventListener("scroll", onScroll);
      observer.disconnect();
    };
  }, []);

  const scrollToBottom = useCallback(() => {
    const scroller = scrollRef.current;
    pinned.current = true;
    setAtBottom(true);
    if (!scroller) return;
    scroller.scrollTop = scroller.scrollHeight;
    // Again once React has rendered what was just added (a sent message), in case nothing resizes.
    requestAnimationFrame(() => {
      if (pinned.current) scroller.scrollTop = scroller.scrollHeight;
    });
  }, []);

  return { scrollRef, contentRef, atBottom, scrollToBottom };
}
