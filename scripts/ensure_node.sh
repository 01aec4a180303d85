#!/usr/bin/env bash
# Install the pinned Node tools (Prism for contract tests) when package-lock.json changed.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
[ -f package-lock.json ] || exit 0
stamp="node_modules/.nadir-lock"
want="$(sha256sum package-lock.json | cut -c1-16)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
npm ci --prefer-offline --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
