import { join } from "node:path";
import { entityGaps, environmentGaps, httpPathGaps, indexGaps, procedureGaps, readDoc } from "./coverage.ts";
import { linkGaps } from "./links.ts";

export const repoRoot = join(import.meta.dirname, "..", "..");

/** Every way the docs fall short of the code; empty when they cover it all. */
export async function findDocumentationGaps(root = repoRoot): Promise<string[]> {
  const apiDoc = readDoc(root, "docs/api.md");
  return [
    ...procedureGaps(apiDoc),
    ...httpPathGaps(apiDoc),
    ...(await entityGaps(readDoc(root, "docs/database.md"))),
    ...environmentGaps(readDoc(root, "docs/configuration.md")),
    ...indexGaps(root),
    ...linkGaps(root),
  ];
}
