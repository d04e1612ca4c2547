import { defineConfig } from "vitest/config";

// One Vitest run covers the workspace, split into projects so each can be run alone:
//   unit        pure functions (colocated *.test.ts) and static checks of the deployment files
//   integration the real server over HTTP against real PostgreSQL (a database per test file)
//   embedded    a smoke set against the zero-configuration embedded database
//   browser     Debian's chromium driven by playwright-core against the real server
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "packages/*/src/**/*.test.ts",
            "apps/server/src/**/*.test.ts",
            "tests/static/**/*.test.ts",
          ],
        },
      },
      {
        test: {
          name: "integration",
          include: ["tests/api/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "embedded",
          include: ["tests/embedded/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "browser",
          include: ["tests/browser/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file drives its own chromium; two at once is all a 2-core machine takes well.
          maxWorkers: 2,
          // A busy 2-core CI machine can take seconds to load a lazy chunk after a reload.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
