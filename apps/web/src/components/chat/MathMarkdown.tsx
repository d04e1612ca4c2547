// The Markdown renderer with math: `$…$` inline and `$$…$$` display, typeset by KaTeX. KaTeX, its
// stylesheet and its fonts are big, so LazyMarkdown loads this chunk only for an answer with a `$`.
import "katex/dist/katex.min.css";
import { memo } from "react";
import rehypeKatex from "rehype-katex";
import remarkMath from "remark-math";
import { Markdown, type MarkdownPlugins, plainPlugins } from "./Markdown.tsx";
import { remarkCurrencyAsText } from "./remark-currency-as-text.ts";

const mathPlugins: MarkdownPlugins = {
  remarkPlugins: [...plainPlugins.remarkPlugins, remarkMath, remarkCurrencyAsText],
  rehypePlugins: [
    // Output "htmlAndMathml" (KaTeX's default): the HTML is what sighted readers see, the MathML
    // what screen readers read. The HTML carries `style` attributes, which the server's
    // Content-Security-Policy (style-src 'self', no 'unsafe-inline') forbids in parsed HTML. They
    // are never parsed by the browser: rehype-katex reads KaTeX's HTML with parse5 (the alias in
    // vite.config.ts), react-markdown turns the attributes into React style props, and React sets
    // them through the CSSOM (element.style), which CSP allows. So neither a "mathml"-only output
    // (plainer, browser-dependent) nor a loosened policy is needed. Before highlighting, so a
    // `math` block is typeset rather than treated as code.
    [rehypeKatex, { output: "htmlAndMathml" }],
    ...plainPlugins.rehypePlugins,
  ],
};

/** An answer's Markdown with its math typeset. */
export const MathMarkdown = memo(function MathMarkdown({ text }: { text: string }) {
  return <Markdown text={text} plugins={mathPlugins} />;
});

export default MathMarkdown;
