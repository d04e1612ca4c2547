// Relative links in the Markdown docs must reach a file, and a `#fragment` a heading of it
// (GitHub's slugs, github-slugger), so a renamed file or heading breaks the check, not a reader.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import GithubSlugger from "github-slugger";
import type { Code, Heading, Link, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { toString as plainText } from "mdast-util-to-string";
import { visit } from "unist-util-visit";

/** docs/**\/*.md, the root README and every package's and app's README. */
export function markdownFiles(root: string): string[] {
  const docs = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? docs(join(dir, entry.name))
        : entry.name.endsWith(".md")
          ? [join(dir, entry.name)]
          : [],
    );
  const readmes = ["packages", "apps"].flatMap((dir) =>
    readdirSync(join(root, dir))
      .map((name) => join(dir, name, "README.md"))
      .filter((path) => existsSync(join(root, path))),
  );
  return ["README.md", ...docs("docs"), ...readmes];
}

const trees = new Map<string, Root>();
function parse(path: string): Root {
  let tree = trees.get(path);
  if (!tree) {
    tree = fromMarkdown(readFileSync(path, "utf8"));
    trees.set(path, tree);
  }
  return tree;
}

function anchors(path: string): Set<string> {
  const slugger = new GithubSlugger();
  const found = new Set<string>();
  visit(parse(path), "heading", (heading: Heading) => {
    found.add(slugger.slug(plainText(heading)));
  });
  return found;
}

export function linkGaps(root: string): string[] {
  const gaps: string[] = [];
  for (const file of markdownFiles(root)) {
    const absolute = join(root, file);
    visit(parse(absolute), "link", (link: Link) => {
      const url = link.url;
      if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//")) return;
      const [pathPart = "", fragment] = url.split("#");
      const target = pathPart ? join(dirname(absolute), decodeURIComponent(pathPart)) : absolute;
      const line = link.position?.start.line ?? 0;
      if (!existsSync(target)) {
        gaps.push(`${file}:${line}: link to \`${url}\` — ${relative(root, target)} does not exist`);
        return;
      }
      if (fragment && target.endsWith(".md") && statSync(target).isFile()) {
        if (!anchors(target).has(decodeURIComponent(fragment)))
          gaps.push(
            `${file}:${line}: link to \`${url}\` — ${relative(root, target)} has no heading with anchor #${fragment}`,
          );
      }
    });
  }
  return gaps;
}

/** Every ```mermaid block of the Markdown files, with where it is (the browser tests render them). */
export function mermaidBlocks(root: string): { where: string; source: string }[] {
  const blocks: { where: string; source: string }[] = [];
  for (const file of markdownFiles(root)) {
    visit(parse(join(root, file)), "code", (code: Code) => {
      if (code.lang === "mermaid")
        blocks.push({ where: `${file}:${code.position?.start.line ?? 0}`, source: code.value });
    });
  }
  return blocks;
}
