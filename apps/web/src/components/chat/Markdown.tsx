// The Markdown renderer with syntax highlighting. Heavy (remark, rehype, highlight.js grammars),
// so it is only ever imported lazily through LazyMarkdown and never weighs on the first load.
// Math (KaTeX) is a further chunk, MathMarkdown, which renders through this one with more plugins.
import { useLingui } from "@lingui/react/macro";
import { type ComponentProps, memo, useRef } from "react";
import ReactMarkdown, { type Components, type ExtraProps } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";
import { CopyButton } from "../CopyButton.tsx";

type HastNode = NonNullable<ExtraProps["node"]>;

/** The language of a fenced block, from the `language-xyz` class remark gives its <code>. */
function languageOf(node: HastNode | undefined): string | null {
  const code = node?.children.find((child) => child.type === "element" && child.tagName === "code");
  if (code?.type !== "element") return null;
  const classes = code.properties.className;
  const list = Array.isArray(classes) ? classes : [];
  const language = list.map(String).find((name) => name.startsWith("language-"));
  return language ? language.slice("language-".length) : null;
}

function CodeBlock({ node, children, ...rest }: ComponentProps<"pre"> & ExtraProps) {
  const { t } = useLingui();
  const ref = useRef<HTMLPreElement>(null);
  const language = languageOf(node);
  return (
    <div className="code-block group/code">
      <div className="code-block-bar">
        <span className="font-mono">{language ?? "text"}</span>
        {/* Read at click time: the block may still be growing while the answer streams. */}
        <CopyButton text={() => ref.current?.textContent ?? ""} label={t`Copy code`} showLabel />
      </div>
      {/* Focusable so a keyboard can scroll a long line sideways. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <pre ref={ref} tabIndex={0} {...rest}>
        {children}
      </pre>
    </div>
  );
}

function Table({ node: _node, ...props }: ComponentProps<"table"> & ExtraProps) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <div className="table-scroll" tabIndex={0}>
      <table {...props} />
    </div>
  );
}

function Anchor({ node: _node, ...props }: ComponentProps<"a"> & ExtraProps) {
  return <a {...props} target="_blank" rel="noopener noreferrer nofollow" />;
}

const components: Components = { pre: CodeBlock, table: Table, a: Anchor };
type MarkdownOptions = ComponentProps<typeof ReactMarkdown>;
/** The remark (Markdown) and rehype (HTML) plugins an answer is rendered with. */
export interface MarkdownPlugins {
  remarkPlugins: NonNullable<MarkdownOptions["remarkPlugins"]>;
  rehypePlugins: NonNullable<MarkdownOptions["rehypePlugins"]>;
}

export const plainPlugins: MarkdownPlugins = {
  remarkPlugins: [remarkGfm],
  rehypePlugins: [[rehypeHighlight, { detect: false }]],
};

/** Renders an answer's Markdown: GitHub-flavoured, raw HTML shown as text, links opened apart. */
export const Markdown = memo(function Markdown({
  text,
  plugins = plainPlugins,
}: {
  text: string;
  plugins?: MarkdownPlugins;
}) {
  const { remarkPlugins, rehypePlugins } = plugins;
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});

export default Markdown;
