// `pnpm docs:check`: lists what the docs leave out (procedures, HTTP paths, tables and columns,
// environment variables, broken relative links) and fails when anything is. tests/static/docs.test.ts
// runs the same check inside `npm test`.
import { findDocumentationGaps } from "./docs-check/index.ts";

const gaps = await findDocumentationGaps();
if (gaps.length > 0) {
  console.error(
    `docs:check: ${gaps.length} gap(s) between the code and docs/:\n${gaps.map((gap) => `  - ${gap}`).join("\n")}`,
  );
  process.exit(1);
}
console.log("docs:check: every procedure, HTTP path, column and variable is documented; every link resolves");
