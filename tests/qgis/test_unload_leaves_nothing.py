"""Unloading Nadir leaves the process as it found it (issue 17, item 6): the GEOS import
hook, the shapely WKT/WKB guard, the filter on the ``httpx`` logger, the log-record
factory, the logger levels and handlers; and while Nadir is loaded, its redaction touches
only its own and its libraries' records, never those of QGIS or another plugin.

Run in a fresh interpreter where QGIS's GEOS is global (as in the ``qgis`` executable) and
shapely was imported before Nadir (by another plugin), so the guard is really installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from support.package import package_parent

INNER_TEST = """
import ctypes, ctypes.util, json, logging, os, sys
ctypes.CDLL(ctypes.util.find_library("geos_c"), mode=os.RTLD_GLOBAL | os.RTLD_NOW)  # as the qgis executable
import shapely, shapely.io  # another plugin imported shapely before Nadir

NAMES = ("nadir", "httpx", "httpcore")


def snapshot():
    return {
        "meta_path": list(sys.meta_path),
        "shapely": [shapely.to_wkt, shapely.to_wkb, shapely.io.to_wkt, shapely.io.to_wkb],
        "httpx_filters": list(logging.getLogger("httpx").filters),
        "factory": logging.getLogRecordFactory(),
        "levels": [logging.getLogger(n).level for n in NAMES],
        "handlers": [list(logging.getLogger(n).handlers) for n in NAMES],
    }


def record(name):
    return logging.getLogger(name).makeRecord(name, logging.WARNING, __file__, 1, "proxy password=%s for %s",
                                              ("hunter2secret", "host"), None)


def guard_needed():
    try:
        shapely.to_wkt(shapely.Point(1, 2))
        return False
    except shapely.errors.GEOSException:  # QGIS's older GEOS answers shapely's calls
        return True


def test_load_and_unload(qgis_iface):
    import nadir

    before = snapshot()
    plugin = nadir.classFactory(qgis_iface)
    plugin.initGui()
    import nadir.providers.http.session  # what any request of Nadir imports
    during = snapshot()
    other, own, library = record("otherplugin.network"), record("nadir.providers"), record("httpx")
    plugin.unload()
    after = snapshot()
    out = {
        "plugin": type(plugin).__name__,
        "changed_during": sorted(k for k in before if during[k] != before[k]),
        "changed_after": sorted(k for k in before if after[k] != before[k]),
        "hook_during": [type(f).__name__ for f in during["meta_path"] if f not in before["meta_path"]],
        "other": [other.msg, other.args and list(other.args), other.getMessage()],
        "own": own.getMessage(),
        "library": library.getMessage(),
        "after_other": record("otherplugin.network").getMessage(),
        "guard_needed": guard_needed(),
    }
    print("RESULT " + json.dumps(out), flush=True)
"""


def test_unload_restores_the_process_and_redaction_stays_in_its_lane(tmp_path):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "NADIR_DATA_DIR": str(tmp_path / "data"),
        "QGIS_CUSTOM_CONFIG_PATH": str(tmp_path / "config"),
        "XDG_RUNTIME_DIR": str(tmp_path),
        "PYTHONPATH": os.pathsep.join([str(package_parent()), *sys.path]),
    }
    inner = tmp_path / "inner" / "test_inner_unload.py"
    inner.parent.mkdir()
    inner.write_text(textwrap.dedent(INNER_TEST))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", str(inner)],
        cwd=inner.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert done.returncode == 0 and line, done.stdout[-3000:] + done.stderr[-3000:]
    out = json.loads(line[len("RESULT ") :])
    assert out["plugin"] == "NadirPlugin"
    # loaded: Nadir did install each of them (otherwise the check after unload proves nothing)
    expected = {"meta_path", "httpx_filters", "factory", "levels", "handlers"}
    assert expected <= set(out["changed_during"]), out
    assert out["hook_during"] == ["DeepBindFinder"], out
    # another plugin's record is left as it was made; Nadir's and httpx's are redacted
    assert out["other"] == [
        "proxy password=%s for %s",
        ["hunter2secret", "host"],
        "proxy password=hunter2secret for host",
    ], out
    assert "hunter2secret" not in out["own"] and "password=***" in out["own"], out
    assert "hunter2secret" not in out["library"], out
    # unloaded: nothing left behind
    assert out["changed_after"] == [], out
    assert out["after_other"] == "proxy password=hunter2secret for host"
    if out["guard_needed"]:  # bookworm, QGIS 3.22: the shapely guard was in while Nadir was loaded
        assert "shapely" in out["changed_during"], out


def test_the_guard_was_installed_in_that_process():
    """The scenario above has the GEOS clash of the QGIS executables on bookworm (QGIS 3.22):
    the shapely guard is installed while Nadir is loaded, so restoring it is really tested."""
    script = textwrap.dedent("""
        import ctypes, ctypes.util, os, sys
        ctypes.CDLL(ctypes.util.find_library("geos_c"), mode=os.RTLD_GLOBAL | os.RTLD_NOW)
        import shapely
        from nadir.toolbelt.compat import guard_shapely_geos, unguard_shapely_geos
        original = shapely.to_wkt
        guarded = guard_shapely_geos()
        patched = shapely.to_wkt is not original
        restored = unguard_shapely_geos()
        print(guarded, patched, restored, shapely.to_wkt is original and shapely.io.to_wkt is original)
    """)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": os.pathsep.join([str(package_parent()), *sys.path]),
    }
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    guarded, patched, restored, back = done.stdout.split()
    if guarded == "False":
        import pytest

        pytest.skip("the system GEOS writes 4 dimensions here: no guard to install or remove")
    assert (patched, restored, back) == ("True", "True", "True")
