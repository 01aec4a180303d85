#!/usr/bin/env bash
# Create (or refresh) the virtualenv on Debian's Python, seeing QGIS's bindings, with the
# pinned packages. Re-runs pip only when a requirements file changed.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
SYS_PY="${SYS_PY:-/usr/bin/python3}"
stamp="$VENV/.nadir-requirements"
want="$(cat "$ROOT"/requirements/*.txt | sha256sum | cut -c1-16)-$("$SYS_PY" -c 'import sys;print(sys.version_info[:2])' | tr -d ' (),')"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$VENV/bin/python" ]; then
  exit 0
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating virtualenv $VENV on $SYS_PY (with QGIS's system packages visible)"
  "$SYS_PY" -m venv --system-site-packages "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements/dev.txt"
"$VENV/bin/python" - <<'PY'
import numpy, shapely, pydantic, httpx
from qgis.core import Qgis
print(f"venv ok: QGIS {Qgis.QGIS_VERSION}, numpy {numpy.__version__}, shapely {shapely.__version__}, "
      f"pydantic {pydantic.__version__}, httpx {httpx.__version__}")
PY
echo "$want" > "$stamp"
