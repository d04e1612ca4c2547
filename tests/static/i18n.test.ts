// Every message in the SPA is extracted and translated: extraction runs into a scratch copy of the
// committed catalogs, which must come out unchanged (nothing new left unextracted, nothing stale),
// and every German entry must have a translation. Fix a failure with `pnpm i18n:extract` and by
// translating the new entries in apps/web/src/locales/de/messages.po.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const webDir = join(import.meta.dirname, "..", "..", "apps", "web");
const catalogsDir = join(webDir, "src", "locales");

/** A catalog without its header (the header carries the extraction date). */
function entries(file: string): string {
  return readFileSync(file, "utf8").split(/\n\n/).slice(1).join("\n\n").trim();
}

/** The msgids of a .po file whose msgstr is empty. */
function untranslated(file: string): string[] {
  const blocks = readFileSync(file, "utf8").split(/\n\n/).slice(1);
  return blocks
    .filter((block) => block.slice(block.indexOf("\nmsgstr ")).trim() === 'msgstr ""')
    .map((block) => /msgid "(.*)"/.exec(block)?.[1] ?? block);
}

describe("SPA translations", () => {
  it("are extracted from the current source, with nothing stale", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "parley-i18n-"));
    cpSync(catalogsDir, scratch, { recursive: true });
    await promisify(execFile)(join(webDir, "node_modules", ".bin", "lingui"), ["extract", "--clean"], {
      cwd: webDir,
      env: { ...process.env, LINGUI_CATALOGS_DIR: scratch },
    });
    for (const locale of readdirSync(catalogsDir)) {
      for (const catalog of readdirSync(join(catalogsDir, locale))) {
        const committed = join(catalogsDir, locale, catalog);
        expect(entries(join(scratch, locale, catalog)), `${locale}/${catalog}: run pnpm i18n:extract`).toBe(
          entries(committed),
        );
      }
    }
  }, 120_000);

  it("leave no German message untranslated", () => {
    const german = join(catalogsDir, "de");
    expect(readdirSync(german).flatMap((catalog) => untranslated(join(german, catalog)))).toEqual([]);
  });
});
