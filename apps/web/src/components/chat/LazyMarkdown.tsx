import { lazy, Suspense } from "react";

const Markdown = lazy(() => import("./Markdown.tsx"));

/**
 * Starts loading the renderer when an answer is on its way, so it is usually ready by the first
 * token. Nothing calls this before a chat has an answer to show: an empty chat never downloads it.
 */
export function preloadMarkdown(): void {
  void import("./Markdown.tsx");
}

/**
 * An answer's Markdown. The renderer's chunk loads when the first answer renders (if a turn has
 * not already started it); until then the raw text is shown in the same typography, so the swap
 * does not shift the page.
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
