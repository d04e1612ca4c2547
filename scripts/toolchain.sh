# Sourced by the other scripts: puts a Node >= 22.17 and the pinned pnpm on PATH.
# When the system's Node is older (this project needs Node 24 LTS features such as type
# stripping, and MikroORM 7 needs >= 22.17), Node 24 and pnpm are installed from the npm registry
# into .tools/ inside the checkout; nothing outside the project is changed.
PARLEY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PARLEY_TOOLS="$PARLEY_ROOT/.tools"
PARLEY_NODE_MAJOR=24
PARLEY_PNPM_VERSION=12.21.0

node_is_recent() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 17) ? 0 : 1)'
}

# Installs the tools .tools/package.json should hold: pnpm always, Node only when the system's is old.
tools_install() { # need_node
  local deps="\"pnpm\": \"$PARLEY_PNPM_VERSION\""
  if [ "$1" = yes ]; then deps="$deps, \"node\": \"^$PARLEY_NODE_MAJOR\""; fi
  mkdir -p "$PARLEY_TOOLS"
  printf '{ "private": true, "dependencies": { %s } }\n' "$deps" >"$PARLEY_TOOLS/package.json"
  echo "parley: installing { $deps } into .tools/ (one-time)" >&2
  npm install --prefix "$PARLEY_TOOLS" --no-audit --no-fund --loglevel=error >&2
}

if [ -x "$PARLEY_TOOLS/node_modules/.bin/node" ]; then
  export PATH="$PARLEY_TOOLS/node_modules/.bin:$PATH"
fi
need_node=no
if ! node_is_recent; then
  echo "parley: Node $(node --version 2>/dev/null || echo 'not found') is too old; Parley needs >= 22.17." >&2
  command -v npm >/dev/null 2>&1 || { echo "parley: npm is needed to bootstrap Node; install Node.js first." >&2; exit 1; }
  need_node=yes
elif [ -x "$PARLEY_TOOLS/node_modules/.bin/node" ]; then
  need_node=yes # keep the Node we installed earlier
fi
if [ "$need_node" = yes ] && [ ! -x "$PARLEY_TOOLS/node_modules/.bin/node" ] ||
  [ "$("$PARLEY_TOOLS/node_modules/.bin/pnpm" --version 2>/dev/null)" != "$PARLEY_PNPM_VERSION" ]; then
  tools_install "$need_node"
fi
export PATH="$PARLEY_TOOLS/node_modules/.bin:$PATH"
node_is_recent || { echo "parley: could not bootstrap Node $PARLEY_NODE_MAJOR." >&2; exit 1; }
