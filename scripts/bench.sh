#!/usr/bin/env bash
# make bench: run every bench/bench_*.py with the project's Python; each prints one JSON
# line per metric. Results are also appended to bench/results/<date>.jsonl (git-ignored).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
mkdir -p "$ROOT/bench/results"
out="$ROOT/bench/results/$(date +%Y%m%d-%H%M%S).jsonl"
status=0
shopt -s nullglob
for bench in "$ROOT"/bench/bench_*.py; do
  echo "== $(basename "$bench")" >&2
  QT_QPA_PLATFORM=offscreen "$VENV/bin/python" "$bench" | tee -a "$out" || status=1
done
echo "== bench_search.py --desktop (the search in the QGIS window under Xvfb)" >&2
"$VENV/bin/python" "$ROOT/bench/bench_search.py" --desktop 5 | tee -a "$out" || status=1
echo "results: $out" >&2
exit $status
