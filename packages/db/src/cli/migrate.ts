// `pnpm db:migrate` applies pending migrations to DATABASE_URL.
// `pnpm db:migration:create [name]` diffs the entities against DATABASE_URL (after applying the
// committed migrations) and writes a new migration file, then rewrites migrations/index.ts.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { migrateToLatest, migrationsDir, openDatabase } from "../orm.ts";

const [command = "up", name] = process.argv.slice(2);
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL must point at a PostgreSQL database.");
  process.exit(1);
}

const db = await openDatabase({ url });
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Schema is up to date.");
  if (command === "create") {
    const result = await db.migrator.create(migrationsDir, false, false, name);
    if (!result.fileName) {
      console.log("No schema changes: nothing to generate.");
    } else {
      await writeMigrationIndex();
      console.log(`Created migrations/${result.fileName}; review it, run pnpm format, and commit it.`);
    }
  }
} finally {
  await db.close();
}

async function writeMigrationIndex(): Promise<void> {
  const files = (await readdir(migrationsDir)).filter((file) => /^Migration\d+.*\.ts$/.test(file)).sort();
  const entries = await Promise.all(
    files.map(async (file) => {
      const source = await readFile(join(migrationsDir, file), "utf8");
      const className = /export class (\w+)/.exec(source)?.[1];
      if (!className) throw new Error(`migrations/${file} exports no migration class`);
      return { module: file.replace(/\.ts$/, ""), className };
    }),
  );
  const body = [
    "// The list of committed migrations, in order. `pnpm db:migration:create` regenerates this file.",
    'import type { MigrationObject } from "@mikro-orm/core";',
    ...entries.map((m) => `import { ${m.className} } from "./${m.module}.ts";`),
    "",
    "export const migrations: MigrationObject[] = [",
    ...entries.map((m) => `  { name: "${m.module}", class: ${m.className} },`),
    "];",
    "",
  ].join("\n");
  await writeFile(join(migrationsDir, "index.ts"), body);
}
