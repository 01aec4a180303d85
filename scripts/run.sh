#!/usr/bin/env bash
# make run: start the sandbox, prepare the demo profile and project, open QGIS.
#   NADIR_SANDBOX_PORT (8765)  NADIR_CLOCK_SPEED (120: two simulated minutes per second)
# Without a display, run it under xvfb-run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
RUNS="$ROOT/.run"
PORT="${NADIR_SANDBOX_PORT:-8765}"
URL="http://127.0.0.1:$PORT"
mkdir -p "$RUNS/sandbox"
cd "$ROOT"
# No Qt debug chatter (QGIS's auth database prints its salt, hash and IV as debug
# messages) and a private runtime folder instead of Qt's "XDG_RUNTIME_DIR not set".
export QT_LOGGING_RULES="${QT_LOGGING_RULES:-*.debug=false}"
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
  export XDG_RUNTIME_DIR="$RUNS/xdg-runtime"
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
fi

if [ -z "${DISPLAY:-}" ]; then
  echo "No DISPLAY: run 'xvfb-run -s \"-screen 0 1600x1000x24\" make run' or start it from a desktop session." >&2
  exit 1
fi

"$PY" -m sandbox --port "$PORT" --state "$RUNS/sandbox/state.db" --clock-speed "${NADIR_CLOCK_SPEED:-120}" \
  > "$RUNS/sandbox/sandbox.log" 2>&1 &
SANDBOX_PID=$!
trap 'kill $SANDBOX_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "$URL/_sandbox/health" >/dev/null 2>&1 && break
  kill -0 $SANDBOX_PID 2>/dev/null || { cat "$RUNS/sandbox/sandbox.log"; exit 1; }
  sleep 0.2
done
echo "Sandbox on $URL (log: .run/sandbox/sandbox.log)"

"$PY" "$ROOT/scripts/make_demo.py" "$RUNS" "$URL"
"$PY" "$ROOT/scripts/i18n.py" build >/dev/null  # the .qm translations (not in git)
SITE="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "Opening QGIS (profile nadir-demo under .run/, project .run/demo.qgz)"
QGIS_AUTH_PASSWORD_FILE="$RUNS/master-password" PYTHONPATH="$SITE" \
  qgis --profiles-path "$RUNS" --profile nadir-demo --nologo --noversioncheck \
       --code "$ROOT/scripts/run_open_dock.py" "$RUNS/demo.qgz" ${NADIR_RUN_ARGS:-}
