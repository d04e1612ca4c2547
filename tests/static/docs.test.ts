import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  entityGaps,
  environmentGaps,
  httpPathGaps,
  indexGaps,
  procedureGaps,
} from "../../scripts/docs-check/coverage.ts";
import { findDocumentationGaps } from "../../scripts/docs-check/index.ts";
import { linkGaps } from "../../scripts/docs-check/links.ts";

describe("docs:check", () => {
  it("finds every procedure, HTTP path, column and variable documented, and every link whole", async () => {
    expect(await findDocumentationGaps()).toEqual([]);
  }, 60_000);

  it("names each undocumented procedure, path, column and variable, and where to add it", async () => {
    expect(procedureGaps("`auth.login`")).toContain(
      'docs/api.md: procedure `auth.logout` is not documented — add a table row starting "| `auth.logout` |" (type, input, result/errors) to its router\'s section',
    );
    // A longer name does not document a shorter one.
    expect(procedureGaps("`admin.users.createPasswordReset`").join("\n")).toContain("`admin.users.create`");
    expect(httpPathGaps("").join("\n")).toContain("`GET /readyz`");
    const entities = await entityGaps("### `users`\n\n| `id` | uuid |\n");
    expect(entities).toContain(
      'docs/database.md: column `users.email` (User.email) is not documented — add a row starting "| `email` |" under "### `users`"',
    );
    expect(entities.join("\n")).not.toContain("`users.id`");
    expect(entities.join("\n")).toContain('add a heading "### `ledger_entries`"');
    expect(environmentGaps("| `PORT` | … |")).not.toContainEqual(expect.stringContaining("`PORT`"));
    expect(environmentGaps("| `PORT` | … |")).toContainEqual(expect.stringContaining("`REDIS_URL`"));
  });

  it("reports a document missing from the index, a missing file and a missing heading anchor, and accepts GitHub's slugs", () => {
    const root = mkdtempSync(join(tmpdir(), "docs-check-"));
    for (const dir of ["docs", "packages/x", "apps"]) mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, "README.md"), "[ok](docs/a.md#the-api-keys--scopes) [gone](docs/gone.md)\n");
    writeFileSync(
      join(root, "docs/a.md"),
      "# A\n\n## The `API keys` & scopes\n\n[self](#nowhere) [web](https://x.test)\n",
    );
    writeFileSync(join(root, "packages/x/README.md"), "[up](../../docs/a.md#a)\n");
    writeFileSync(join(root, "docs/README.md"), "| [a.md](a.md) | A |\n");
    writeFileSync(join(root, "docs/b.md"), "# B\n");
    expect(indexGaps(root)).toEqual([
      'docs/README.md: docs/b.md is not in the index — add a row "| [b.md](b.md) | what it covers |" to the table',
    ]);
    expect(linkGaps(root)).toEqual([
      "README.md:1: link to `docs/gone.md` — docs/gone.md does not exist",
      "docs/a.md:5: link to `#nowhere` — docs/a.md has no heading with anchor #nowhere",
    ]);
  });
});
