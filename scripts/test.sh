#!/usr/bin/env bash
# Run Nadir's checks: lint, types, then the three test tiers (STYLE.md 16).
#   unit  : no QGIS (core, providers, sandbox) - pytest-qgis switched off
#   qgis  : pytest-qgis, offscreen
#   e2e   : a real QGIS desktop under Xvfb (the tests start Xvfb themselves)
#   clock : unit + sandbox with the clock 400 days ahead (make test-clock; not in the default TIERS)
# TIERS="unit qgis" limits the run; PYTEST_ARGS is passed to every pytest call.
# Every tier runs even if an earlier one failed; the exit code says if any failed.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
TIERS="${TIERS:-lint unit qgis e2e}"
[ -n "$TIERS" ] || TIERS="lint unit qgis e2e"
REPORTS="$ROOT/.cache/reports"
mkdir -p "$REPORTS"
cd "$ROOT"
export PYTHONDONTWRITEBYTECODE=1
export NO_PROXY="127.0.0.1,localhost" no_proxy="127.0.0.1,localhost"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
qgis_version="$("$PY" -c 'from qgis.core import Qgis; print(Qgis.QGIS_VERSION)' 2>/dev/null || echo unknown)"
failed=()
summary=()

run_pytest() {  # tier, then pytest arguments
  local tier="$1"; shift
  echo "=== $tier tests (QGIS $qgis_version) ==="
  "$PY" -m pytest "$@" --junitxml="$REPORTS/$tier.xml" ${PYTEST_ARGS:-}
  local rc=$?
  # 5 = no tests collected: fine for a tier that has none yet
  if [ $rc -ne 0 ] && [ $rc -ne 5 ]; then failed+=("$tier"); fi
  summary+=("$tier: $("$PY" "$ROOT/scripts/junit_summary.py" "$REPORTS/$tier.xml")")
}

for tier in $TIERS; do
  case "$tier" in
    lint)
      echo "=== lint: ruff ==="
      "$PY" -m ruff check . || failed+=("ruff")
      echo "=== lint: ruff format --check (scripts/apply_format.sh formats) ==="
      "$PY" -m ruff format --check . || failed+=("ruff format")
      echo "=== types: mypy --strict on core/ and providers/ ==="
      "$PY" scripts/mypy_strict.py || failed+=("mypy")
      echo "=== security: bandit and detect-secrets on the shipped code ==="
      "$ROOT/scripts/security.sh" || failed+=("security")
      ;;
    unit)
      run_pytest unit -p no:pytest_qgis tests/unit $( [ -d tests/sandbox ] && echo tests/sandbox )
      ;;
    clock)
      # the unit and sandbox tiers with the process clock 400 days ahead (libfaketime): no test
      # may depend on today's date. Threads, SQLite and the sandbox's server all see the shift.
      # (FAKETIME_DONT_FAKE_MONOTONIC breaks time.sleep: Python sleeps to an absolute monotonic time.)
      faketime_lib="$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -n1)"
      if [ -z "$faketime_lib" ]; then
        echo "libfaketime is not installed (package libfaketime); make test-clock installs it"; failed+=("clock")
      else
        LD_PRELOAD="$faketime_lib" FAKETIME="+${NADIR_CLOCK_SHIFT_DAYS:-400}d" \
          run_pytest clock -p no:pytest_qgis -p no:cacheprovider tests/unit $( [ -d tests/sandbox ] && echo tests/sandbox )
      fi
      ;;
    qgis)
      rm -rf "$ROOT/.qgis-settings"
      QT_QPA_PLATFORM=offscreen run_pytest qgis tests/qgis
      ;;
    e2e)
      run_pytest e2e -p no:pytest_qgis tests/e2e
      ;;
    *) echo "unknown tier $tier"; failed+=("$tier") ;;
  esac
done

echo
echo "=== summary (QGIS $qgis_version) ==="
printf '%s\n' "${summary[@]}" | tee "$REPORTS/summary-$(echo "$qgis_version" | cut -d- -f1).txt"
if [ ${#failed[@]} -ne 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all passed"
