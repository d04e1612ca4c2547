// Prints the gzip size of the JavaScript the chat screen loads before it can show anything, and
// fails (exit 1) when it is over budget. Run after `vite build` (the web package's build does):
//   node scripts/bundle-size.ts
//
// "Loads initially" means the entry chunk and everything it imports statically, read from Vite's
// manifest (dist/.vite/manifest.json). Should a chat route ever become a lazy chunk, that chunk and
// its static imports are counted too: the chat screen cannot render without them. Chunks that are
// only imported dynamically (Markdown, charts, profile, admin, auth pages) are listed apart.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** 150 KB, in bytes (1 KB = 1,000 bytes, as Vite reports sizes). */
export const BUDGET_BYTES = 150_000;

/** The modules of the chat routes ("/chat", "/chat/:sessionId"). */
const CHAT_ROUTE_MODULES = [
  "src/pages/chat/ChatLayout.tsx",
  "src/pages/chat/NewChatPage.tsx",
  "src/pages/chat/ConversationPage.tsx",
];

interface ManifestChunk {
  file: string;
  name?: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

const distDir = join(import.meta.dirname, "..", "dist");
const manifestPath = join(distDir, ".vite", "manifest.json");

function fail(message: string): never {
  console.error(`bundle-size: ${message}`);
  process.exit(1);
}

function chunk(manifest: Manifest, key: string): ManifestChunk {
  const found = manifest[key];
  if (!found) fail(`the manifest has no chunk "${key}"`);
  return found;
}

/** `key` and every chunk it imports statically, transitively. */
function staticClosure(manifest: Manifest, key: string, into: Set<string>): Set<string> {
  if (into.has(key)) return into;
  into.add(key);
  for (const imported of chunk(manifest, key).imports ?? []) staticClosure(manifest, imported, into);
  return into;
}

function gzipSize(file: string): { raw: number; gzip: number } {
  const bytes = readFileSync(join(distDir, file));
  // zlib's default level (6), the one most servers and CDNs compress with.
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 6 }).length };
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(2)} KB`;

if (!existsSync(manifestPath))
  fail(`${manifestPath} is missing: run \`vite build\` first (build.manifest must be on).`);
const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;

const entries = Object.entries(manifest).filter(([, c]) => c.isEntry);
if (entries.length !== 1) fail(`expected one entry chunk in the manifest, found ${entries.length}`);
const [entryKey] = entries[0] ?? fail("no entry chunk");

const initial = staticClosure(manifest, entryKey, new Set());
for (const route of CHAT_ROUTE_MODULES) {
  const routeChunk = manifest[route];
  // In the entry's closure already, unless the route is lazy: then its chunk loads with the screen.
  if (routeChunk?.isDynamicEntry) staticClosure(manifest, route, initial);
}

const rows = [...initial].map((key) => {
  const { file } = chunk(manifest, key);
  return { file, ...gzipSize(file) };
});
rows.sort((a, b) => b.gzip - a.gzip);
const total = rows.reduce((sum, row) => sum + row.gzip, 0);
const totalRaw = rows.reduce((sum, row) => sum + row.raw, 0);

console.log("Initial JavaScript of the chat screen (entry + static imports):");
for (const row of rows) {
  console.log(`  ${row.file.padEnd(44)} ${kb(row.raw).padStart(11)}  gzip ${kb(row.gzip).padStart(10)}`);
}
console.log(`  ${"total".padEnd(44)} ${kb(totalRaw).padStart(11)}  gzip ${kb(total).padStart(10)}`);

const lazy = Object.entries(manifest)
  .filter(([key, c]) => c.isDynamicEntry && !initial.has(key))
  .map(([, c]) => ({ name: c.name ?? c.file, ...gzipSize(c.file) }))
  .sort((a, b) => b.gzip - a.gzip)
  .slice(0, 8);
if (lazy.length > 0) {
  console.log("Largest lazy chunks (loaded on demand, not counted):");
  for (const row of lazy) console.log(`  ${row.name.padEnd(44)} gzip ${kb(row.gzip).padStart(10)}`);
}

const verdict = `${kb(total)} of a ${kb(BUDGET_BYTES)} budget (${((total / BUDGET_BYTES) * 100).toFixed(1)}%)`;
if (total > BUDGET_BYTES) {
  console.error(`bundle-size: OVER BUDGET: ${verdict}. Lazy-load something (see README).`);
  process.exit(1);
}
console.log(`bundle-size: OK, ${verdict}.`);
