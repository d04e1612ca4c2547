import { defineConfig } from "tsdown";

// The published build: ESM JavaScript and one bundled declaration file.
//
// Declarations are emitted by TypeScript 5.9, which .pnpmfile.mjs gives rolldown-plugin-dts as its
// own dependency: it needs TypeScript's JS API, which TypeScript 7 (the workspace's) does not have. The router type comes from
// @parley/api/public, whose declaration is written out as plain object types (see that file);
// tsconfig.build.json maps it, and @parley/core's error detail type, to their sources so both are
// inlined. `onlyImport` fails the build if the output would import anything but these packages.
export default defineConfig({
  entry: ["src/index.ts"],
  format: "esm",
  platform: "neutral",
  target: "es2022",
  outDir: "dist",
  clean: true,
  tsconfig: "tsconfig.build.json",
  dts: true,
  deps: { onlyImport: ["@trpc/client", "@trpc/server", "eventsource", "superjson"] },
});
