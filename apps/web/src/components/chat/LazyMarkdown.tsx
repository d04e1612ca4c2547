import { lazy, Suspense } from "react";

const Markdown = lazy(() => import("./Markdown.tsx"));
// KaTeX (its code, stylesheet and fonts) comes in a chunk of its own, only for answers with math.
const MathMarkdown = lazy(() => import("./MathMarkdown.tsx"));

/** Math needs a `$`; a cheap test, so "$5" prose may load KaTeX for nothing, but never the reverse. */
function mayContainMath(text: string): boolean {
  return text.includes("$");
}

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
 * does not shift the page. When a `$` appears (perhaps mid-stream), the math renderer loads and
 * the plain one stands in for it meanwhile.
 */
export function LazyMarkdown({ text }: { text: string }) {
  const plain = <Markdown text={text} />;
  return (
    <Suspense
      fallback={
        <div className="markdown">
          <p className="whitespace-pre-wrap">{text}</p>
        </div>
      }
    >
      {mayContainMath(text) ? (
        <Suspense fallback={plain}>
          <MathMarkdown text={text} />
        </Suspense>
      ) : (
        plain
      )}
    </Suspense>
  );
}
