import { lazy, Suspense } from "react";

const Markdown = lazy(() => import("./Markdown.tsx"));

/**
 * Starts loading the renderer before the first answer needs it, once the browser is idle so it
 * does not compete with the chat's own first requests (the chat screen calls this on mount).
 */
export function preloadMarkdown(): () => void {
  const load = () => void import("./Markdown.tsx");
  if ("requestIdleCallback" in window) {
    const handle = window.requestIdleCallback(load, { timeout: 2000 });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = setTimeout(load, 500);
  return () => clearTimeout(timer);
}

/**
 * An answer's Markdown. Until the renderer's chunk has loaded, the raw text is shown in the same
 * typography, so the swap does not shift the page.
 */
export function LazyMarkdown({ text }: { text: string }) {
  return (
    <Suspense
      fallback={
        <div className="markdown">
          <p className="whitespace-pre-wrap">{text}</p>
        </div>
      }
    >
      <Markdown text={text} />
    </Suspense>
  );
}
