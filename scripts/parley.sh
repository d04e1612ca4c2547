#!/usr/bin/env bash
# The two commands README.md gives:
#   npm start   bootstrap Node/pnpm if needed, install, build the SPA, migrate, start Parley
#               (`scripts/parley.sh serve`: only the last step, as `pnpm bench:memory` measures it)
#   npm test    the same set-up, then Biome, type-check and every test project
# and a helper that needs the same toolchain:
#   npm run admin:create -- --email you@example.com
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$PARLEY_ROOT"

# Without DATABASE_URL Parley runs on the embedded database: the single-machine try-out, kept small.
# A small young generation (V8 otherwise grows it to ~128 MiB and keeps it while idle), and
# PGlite's WebAssembly compiled by the baseline compiler only (not again by the optimising one):
# together about 150 MiB less resident. `gc` exposed so that main.ts can compact the heap once
# start-up is over (loading modules and migrating leave ~40 MiB of garbage that V8 would keep
# committed while idle): about 55 MiB less. PostgreSQL deployments run Node with its defaults.
EMBEDDED_NODE_FLAGS=(--max-semi-space-size=2 --liftoff-only --expose-gc)

serve() {
  if [ -z "${DATABASE_URL:-}" ]; then
    exec node "${EMBEDDED_NODE_FLAGS[@]}" apps/server/src/main.ts
  fi
  exec node apps/server/src/main.ts
}

install_and_build() {
  pnpm install --frozen-lockfile --prefer-offline --reporter=append-only
  pnpm build
}

case "${1:-}" in
  start)
    install_and_build
    # Migrations are applied by the server itself at start.
    serve
    ;;
  serve)
    serve
    ;;
  test)
    source scripts/test-services.sh
    install_and_build
    pnpm lint
    pnpm typecheck
    exec pnpm exec vitest run
    ;;
  admin:create)
    shift
    pnpm install --frozen-lockfile --prefer-offline --reporter=silent
    exec node apps/server/src/cli/create-admin.ts "$@"
    ;;
  *)
    echo "usage: scripts/parley.sh start|serve|test|admin:create [--email …]" >&2
    exit 64
    ;;
esac
