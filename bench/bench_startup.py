"""Extra QGIS start-up time with Nadir enabled (DESIGN.md 6: target < 100 ms).

Starts the QGIS desktop repeatedly under Xvfb with a --code script that exits at once
(os._exit(0)), alternating a fresh profile with Nadir enabled and one with it disabled,
and prints the medians and their difference as JSON lines. Alternating runs in one go
keep machine noise out of the comparison.

Whole QGIS starts vary by about a second here, more than the difference sought, so the
bench also reports QGIS's own timing of the plugin's start (``qgis.utils.plugin_times``:
classFactory plus initGui). Nadir builds its features on first use (plugin.py), so the bench also times that
wake-up inside the desktop: the GUI-thread time of ``activate()`` cold (the dock opened
first thing) and after the worker-thread imports a background wake-up does first.

    python bench/bench_startup.py [runs]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from support.e2e import Desktop, Xvfb, qgis_binary, write_profile_settings  # noqa: E402


def start_once(desktop: Desktop, exit_script: Path) -> float:
    args = [qgis_binary(), "--profiles-path", str(desktop.base), "--profile", desktop.profile, "--nologo",
            "--noversioncheck", "--code", str(exit_script)]
    # Python writes and reuses bytecode, as in a normal QGIS (this machine's environment turns
    # it off, which would time compiling the plugin at every start); "" means unset to Python.
    env = desktop.env({"PYTHONDONTWRITEBYTECODE": ""})
    begin = time.perf_counter()
    subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=False)
    return time.perf_counter() - begin


WAKE_SCRIPT = """
import time
from qgis.utils import iface, plugin_times, plugins
e2e.wait_for(lambda: "nadir" in plugins and iface.mainWindow().isVisible(), "Nadir and the main window")
plugin = plugins["nadir"]
e2e.record(start_plugin_s=float(plugin_times["nadir"].rstrip("s")))
if WARM:
    from nadir.plugin import warm_imports
    warm_imports()
begin = time.perf_counter()
plugin.activate()
e2e.record(activate_ms=(time.perf_counter() - begin) * 1000, features=len(plugin.features))
"""


LOAD_SCRIPT = """
import time
from qgis.utils import iface, loadPlugin, plugins, startPlugin
e2e.wait_for(lambda: iface.mainWindow().isVisible(), "the main window")
begin = time.perf_counter()
loadPlugin("nadir")
startPlugin("nadir")
e2e.record(load_start_ms=(time.perf_counter() - begin) * 1000, loaded="nadir" in plugins)
"""


def load_start_once(desktop: Desktop) -> float:
    """Wall time of loading and starting Nadir by hand in a running QGIS (profile with it disabled)."""
    result = desktop.run(LOAD_SCRIPT, "load", timeout=120, env={"PYTHONDONTWRITEBYTECODE": ""})
    assert result["loaded"], result
    return float(result["load_start_ms"])


def wake_once(desktop: Desktop, warm: bool) -> tuple[float, float]:
    """(QGIS's own timing of Nadir's start-up in ms, GUI-thread time of the wake-up in ms)."""
    result = desktop.run(f"WARM = {warm}\n" + WAKE_SCRIPT, "wake", timeout=120, env={"PYTHONDONTWRITEBYTECODE": ""})
    assert result["features"] == 5, result
    return float(result["start_plugin_s"]) * 1000, float(result["activate_ms"])


def main(runs: int = 12) -> None:
    xvfb = Xvfb()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp)
            exit_script = base / "exit.py"
            exit_script.write_text("import os\nos._exit(0)\n")
            enabled = Desktop(base / "on", xvfb.display, "bench")
            disabled = Desktop(base / "off", xvfb.display, "bench")
            write_profile_settings(disabled.ini, {"PythonPlugins": {"nadir": "false"}})
            for desktop in (enabled, disabled):  # first starts create profile databases
                start_once(desktop, exit_script)
            times = {"enabled": [], "disabled": []}
            for _ in range(runs):
                times["enabled"].append(start_once(enabled, exit_script))
                times["disabled"].append(start_once(disabled, exit_script))
            wake: dict[str, list[float]] = {"cold": [], "warm": []}
            plugin_start: list[float] = []
            load_start = [load_start_once(disabled) for _ in range(max(3, runs // 2))]
            for _ in range(max(3, runs // 2)):
                for kind in wake:
                    started, woke = wake_once(enabled, warm=kind == "warm")
                    plugin_start.append(started)
                    wake[kind].append(woke)
    finally:
        xvfb.stop()
    on, off = statistics.median(times["enabled"]), statistics.median(times["disabled"])
    diffs = [a - b for a, b in zip(times["enabled"], times["disabled"])]
    for metric, value in (("qgis_start_plugin_disabled_s", off), ("qgis_start_plugin_enabled_s", on),
                          ("qgis_start_overhead_ms", (on - off) * 1000),
                          ("qgis_start_overhead_paired_median_ms", statistics.median(diffs) * 1000)):
        print(json.dumps({"metric": metric, "value": round(value, 4 if metric.endswith("_s") else 1),
                          "unit": "s" if metric.endswith("_s") else "ms", "runs": runs}))
    print(json.dumps({"metric": "qgis_start_raw_s", "enabled": [round(t, 3) for t in times["enabled"]],
                      "disabled": [round(t, 3) for t in times["disabled"]]}))
    # QGIS's own record of the plugin's start (qgis.utils.plugin_times: classFactory and
    # initGui, processing provider included): steady where whole-start times vary by a second
    print(json.dumps({"metric": "nadir_start_plugin_ms", "value": round(statistics.median(plugin_start), 1),
                      "unit": "ms", "runs": len(plugin_start), "max": round(max(plugin_start), 1)}))
    print(json.dumps({"metric": "nadir_load_and_start_wall_ms", "value": round(statistics.median(load_start), 1),
                      "unit": "ms", "runs": len(load_start), "max": round(max(load_start), 1)}))
    for kind, values in wake.items():
        print(json.dumps({"metric": f"nadir_wake_gui_{kind}_ms", "value": round(statistics.median(values), 1),
                          "unit": "ms", "runs": len(values), "max": round(max(values), 1)}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 12)
