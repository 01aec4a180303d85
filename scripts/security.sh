#!/usr/bin/env bash
# Security checks on the code that ships in the plugin zip (scripts/package.py's folders):
# bandit (settings in pyproject.toml [tool.bandit]) and detect-secrets (no key, token or
# password committed). Exit 1 when either finds something.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${VENV:-$ROOT/.venv}/bin/python"
cd "$ROOT"
SHIPPED=(core providers ui tasks toolbelt processing resources plugin.py __init__.py metadata.txt)
rc=0
echo "--- bandit"
# bandit warns on stderr about nosec comments it could not match to a test; keep only real output
"$PY" -m bandit -q -c pyproject.toml -r core providers ui tasks toolbelt processing plugin.py __init__.py 2>/dev/null || rc=1
echo "--- detect-secrets"
mapfile -t files < <(git ls-files -- "${SHIPPED[@]}" 2>/dev/null || find "${SHIPPED[@]}" -type f)
"$(dirname "$PY")/detect-secrets" scan "${files[@]}" | "$PY" -c '
import json, sys
found = json.load(sys.stdin)["results"]
for path, hits in sorted(found.items()):
    for hit in hits:
        print("%s:%s: %s" % (path, hit["line_number"], hit["type"]))
sys.exit(1 if found else 0)
' || rc=1
[ $rc -eq 0 ] && echo "no findings"
exit $rc
