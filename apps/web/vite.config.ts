import { createRequire } from "node:module";
import { constants } from "node:zlib";
import { lingui } from "@lingui/vite-plugin";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { compression, defineAlgorithm } from "vite-plugin-compression2";

/**
 * rehype-katex turns KaTeX's HTML into a tree through this package, whose browser build parses it
 * with the DOM (a <template>): the parser meets KaTeX's `style` attributes and the
 * Content-Security-Policy (style-src 'self') reports each one as a violation. Its portable build
 * parses with parse5 instead, in JavaScript, where no policy applies; React then sets the styles
 * through the CSSOM, which CSP allows. It only weighs on the lazy math chunk.
 */
const htmlToHastWithoutDom = createRequire(createRequire(import.meta.url).resolve("rehype-katex")).resolve(
  "hast-util-from-html-isomorphic",
);

type ModuleInfoOf = (id: string) => { isEntry: boolean; importers: readonly string[] } | null;
const initialModules = new Map<string, boolean>();
const ICON_MODULE = /[\\/]lucide-react[\\/]dist[\\/]esm[\\/]icons[\\/]/;

/** Whether the entry reaches the module through static imports alone (it loads on first paint). */
function isInitial(id: string, getModuleInfo: ModuleInfoOf): boolean {
  const known = initialModules.get(id);
  if (known !== undefined) return known;
  initialModules.set(id, false); // breaks import cycles
  const info = getModuleInfo(id);
  const initial =
    !!info && (info.isEntry || info.importers.some((importer) => isInitial(importer, getModuleInfo)));
  initialModules.set(id, initial);
  return initial;
}

export default defineConfig({
  plugins: [
    // Transforms the Lingui macros (natively, before React's JSX transform) and compiles the .po
    // catalogs imported by src/i18n. "message" keeps the English text beside each id in production:
    // English then needs no catalog, and a missing translation falls back to it.
    lingui({ macroTransform: { macro: { descriptorFields: "message" } } }),
    react(),
    tailwindcss(),
    // Writes `.br` and `.gz` beside each text asset at build time, at the highest levels (the cost
    // is paid once per build, not per request); the server sends them by Accept-Encoding.
    compression({
      algorithms: [
        defineAlgorithm("brotliCompress", { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        defineAlgorithm("gzip", { level: 9 }),
      ],
      logLevel: "silent",
    }),
  ],
  resolve: { alias: { "hast-util-from-html-isomorphic": htmlToHastWithoutDom } },
  server: {
    proxy: {
      // No changeOrigin: the API refuses cookie-authenticated writes whose Origin differs from the
      // Host it sees, so the Host header must stay the Vite origin the browser is talking to.
      "/trpc": { target: "http://127.0.0.1:3000" },
      // Single sign-on's redirect routes; the redirect URI follows the Host header, the Vite origin.
      "/auth/oidc": { target: "http://127.0.0.1:3000" },
    },
  },
  build: {
    outDir: "dist",
    // Fonts are always files, never inlined as data: URLs, which the Content-Security-Policy's
    // font-src 'self' would block (KaTeX has fonts under Vite's 4 KB inlining limit).
    assetsInlineLimit: (file) => (/\.(woff2?|ttf|otf|eot)$/.test(file) ? false : undefined),
    // The manifest lets scripts/bundle-size.ts find what the chat screen loads first.
    manifest: true,
    rolldownOptions: {
      output: {
        // Everything the entry imports statically goes in one chunk. Left alone, the bundler splits
        // each module the entry shares with a lazy chunk into a chunk of its own, and every extra
        // chunk is one more request and a worse gzip ratio on the chat screen's first load.
        // Icons are left out: they are reached through lucide-react's index, which the entry imports,
        // so every icon of every lazy screen would look initial.
        codeSplitting: {
          groups: [
            {
              name: (id, meta) =>
                !ICON_MODULE.test(id) && isInitial(id, (moduleId) => meta.getModuleInfo(moduleId))
                  ? "app"
                  : null,
            },
          ],
        },
      },
    },
  },
});
