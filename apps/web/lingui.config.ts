import { defineConfig } from "@lingui/conf";
import { formatter } from "@lingui/format-po";

// English is written in the source (the macros keep it in the bundle, so English needs no catalog
// download); every other locale is a catalog under src/locales, compiled by the Vite plugin.
// LINGUI_CATALOGS_DIR lets the i18n test extract into a scratch copy and compare it with the
// committed catalogs, so a message added without extraction or translation fails CI.
const AREAS = [
  "<rootDir>/src/components/chat",
  "<rootDir>/src/pages/chat",
  "<rootDir>/src/lib/chat",
  "<rootDir>/src/components/admin",
  "<rootDir>/src/pages/admin",
];
const catalogsDir = process.env.LINGUI_CATALOGS_DIR ?? "<rootDir>/src/locales";

export default defineConfig({
  sourceLocale: "en",
  locales: ["en", "de"],
  // One catalog per area of the SPA, so work on the chat and on the admin screens never edits the
  // same file; src/i18n/locales.ts loads all of a language's catalogs at once.
  catalogs: [
    {
      path: `${catalogsDir}/{locale}/chat`,
      include: ["<rootDir>/src/components/chat", "<rootDir>/src/pages/chat", "<rootDir>/src/lib/chat"],
    },
    {
      path: `${catalogsDir}/{locale}/admin`,
      include: ["<rootDir>/src/components/admin", "<rootDir>/src/pages/admin"],
    },
    {
      path: `${catalogsDir}/{locale}/app`,
      include: ["<rootDir>/src"],
      exclude: AREAS,
    },
  ],
  // File names without line numbers: catalogs change when messages do, not when code moves.
  format: formatter({ lineNumbers: false }),
});
