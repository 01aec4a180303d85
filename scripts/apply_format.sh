#!/usr/bin/env bash
# Lay out the whole tree with `ruff format` (settings in pyproject.toml), as the commit that
# introduced it did: for a tree that has code written before it (a merged branch).
#   scripts/apply_format.sh          # formats, then checks; commit the result yourself
# Checks afterwards, and fails if one fails:
#   - the user strings found (scripts/i18n.py strings: context, text, file, pending kind) are
#     exactly those found before formatting: none lost, none moved;
#   - `ruff format --check` and `ruff check` pass.
# Then run scripts/mypy_strict.py, scripts/security.sh (a moved `# nosec`/`# type: ignore`
# shows there) and the unit and qgis tiers, as for any commit.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${VENV:-$ROOT/.venv}/bin/python"
cd "$ROOT"
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  echo "apply_format: the work tree has uncommitted changes; the formatting commit should hold only formatting" >&2
fi
before="$(mktemp)"
after="$(mktemp)"
trap 'rm -f "$before" "$after"' EXIT

"$PY" scripts/i18n.py strings >"$before"
"$PY" -m ruff format .
"$PY" scripts/i18n.py strings >"$after"
if ! diff -u "$before" "$after"; then
  echo "apply_format: formatting changed the user strings found (- before, + after); see scripts/i18n_extract.py" >&2
  exit 1
fi
echo "apply_format: the same $(wc -l <"$after") user strings before and after formatting"
"$PY" -m ruff format --check . >/dev/null
"$PY" -m ruff check .
