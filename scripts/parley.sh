#!/usr/bin/env bash
# The two commands README.md gives:
#   npm start   bootstrap Node/pnpm if needed, install, build the SPA, migrate, start Parley
#   npm test    the same set-up, then Biome, type-check and every test project
# and a helper that needs the same toolchain:
#   npm run admin:create -- --email you@example.com
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$PARLEY_ROOT"

install_and_build() {
  pnpm install --frozen-lockfile --prefer-offline --reporter=append-only
  pnpm build
}

case "${1:-}" in
  start)
    install_and_build
    # Migrations are applied by the server itself at start.
    exec node apps/server/src/main.ts
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
    echo "usage: scripts/parley.sh start|test|admin:create [--email …]" >&2
    exit 64
    ;;
esac
