"""shapely inside a process where QGIS's GEOS is global (the qgis and qgis_process
executables): on QGIS 3.22/bookworm, WKT/WKB output fails and coordinates gain a NaN
third dimension unless shapely is imported bound to its own GEOS (the plugin's guard)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from support.package import package_parent

SCRIPT = """
import ctypes, ctypes.util, json, os, sys
ctypes.CDLL(ctypes.util.find_library("geos_c"), mode=os.RTLD_GLOBAL | os.RTLD_NOW)  # as the executables do
mode = sys.argv[1]
if mode == "guard-late":  # another plugin imported shapely before Nadir
    import shapely
if mode.startswith("guard"):
    # what the plugin does: classFactory installs the import hook, and the guard is only
    # needed when shapely was imported before (by QGIS itself on 3.40, or another plugin)
    from nadir.toolbelt.compat import guard_shapely_geos
    from nadir.toolbelt.native import isolate_geos
    hooked = "shapely" not in sys.modules and isolate_geos()
    result = "deepbind" if hooked else ("patched" if guard_shapely_geos() else "plain")
else:
    result = "none"
import shapely
from shapely.geometry import mapping, shape
polygon = shape({"type": "Polygon", "coordinates": [[[10.0, 56.3], [10.08, 56.3], [10.08, 56.34], [10.0, 56.3]]]})
out = {"guard": result}
try:
    out["wkt"] = shapely.GeometryCollection([polygon]).wkt
except Exception as exc:
    out["wkt"] = f"error: {exc}"
print(json.dumps(out), flush=True)
if mode != "guard-late":
    out["mapping"] = json.dumps(mapping(polygon))  # may crash the process without the guard
    print(json.dumps(out), flush=True)
"""


def run(mode: str) -> tuple[int, dict]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": os.pathsep.join([str(package_parent()), *sys.path]),
    }
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT), mode], env=env, capture_output=True, text=True, timeout=120
    )
    lines = done.stdout.strip().splitlines()
    return done.returncode, json.loads(lines[-1]) if lines else {}


GOOD_WKT = "GEOMETRYCOLLECTION (POLYGON ((10 56.3, 10.08 56.3, 10.08 56.34, 10 56.3)))"
GOOD_MAPPING = '{"type": "Polygon", "coordinates": [[[10.0, 56.3], [10.08, 56.3], [10.08, 56.34], [10.0, 56.3]]]}'


def test_the_guard_binds_shapely_to_its_own_geos():
    code, guarded = run("guard")
    assert code == 0 and guarded["wkt"] == GOOD_WKT and guarded["mapping"] == GOOD_MAPPING, guarded
    code, bare = run("none")
    if bare.get("wkt") == GOOD_WKT:  # QGIS 3.40 / trixie: the system GEOS is new enough
        assert code == 0 and bare["mapping"] == GOOD_MAPPING
    else:  # QGIS 3.22 / bookworm: broken without the guard, up to a segmentation fault
        assert guarded["guard"] == "deepbind"
        assert "output dimension must be 2 or 3" in bare["wkt"]
        assert code != 0 or "NaN" in bare.get("mapping", ""), (code, bare)


def test_shapely_imported_earlier_by_someone_else_keeps_wkt_working():
    code, late = run("guard-late")
    assert code == 0
    if late["guard"] == "plain":
        pytest.skip("the system GEOS writes 4 dimensions: nothing to patch here")
    assert late["guard"] == "patched" and late["wkt"] == GOOD_WKT
