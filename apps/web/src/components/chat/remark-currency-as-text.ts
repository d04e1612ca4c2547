// remark-math reads any `$…$` pair as inline math, so prose like "$5 and $10" would become the
// formula "5 and ". Turning single dollars off (singleDollarTextMath: false) would lose `$x$`,
// which models write all the time. Instead, after parsing, this plugin puts back as text each
// single-dollar span that Pandoc's rule would not call math: its content starts or ends with a
// space, or a digit follows the closing dollar ("$5/$10").

interface Point {
  offset?: number | undefined;
}
/** The little of an mdast node this plugin reads (structural, so no mdast types are needed). */
interface SourceNode {
  type: string;
  value?: string;
  position?: { start: Point; end: Point } | undefined;
  children?: SourceNode[];
}

/** Whether a single-dollar span, `raw` in the source followed by `next`, is prose, not math. */
export function isCurrencyNotMath(raw: string, next: string): boolean {
  if (!raw.startsWith("$") || raw.startsWith("$$")) return false;
  const inner = raw.slice(1, -1);
  return /^\s|\s$/.test(inner) || /^\d/.test(next);
}

function restoreCurrency(node: SourceNode, source: string): void {
  for (const [index, child] of (node.children ?? []).entries()) {
    const start = child.position?.start.offset;
    const end = child.position?.end.offset;
    if (child.type === "inlineMath" && start !== undefined && end !== undefined) {
      const raw = source.slice(start, end);
      if (isCurrencyNotMath(raw, source.charAt(end))) {
        node.children?.splice(index, 1, { type: "text", value: raw, position: child.position });
      }
    } else {
      restoreCurrency(child, source);
    }
  }
}

/** The remark plugin: runs after remark-math, on the parsed tree and the answer's source text. */
export function remarkCurrencyAsText() {
  return (tree: SourceNode, file: { value: unknown }): void => {
    restoreCurrency(tree, String(file.value));
  };
}
