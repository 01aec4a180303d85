"""shapely's bundled GEOS must not bind to QGIS's GEOS inside the QGIS executables.

Plain ``python3`` loads QGIS's libraries locally, so the clash only shows where they are
in the global symbol scope (``qgis``, ``qgis_process``). The subprocess below recreates
that with ``RTLD_GLOBAL``: without the hook it crashes, with it it works.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig

import pytest

from support.package import package_parent

SCRIPT = r"""
import os, sys
sys.setdlopenflags(os.RTLD_NOW | os.RTLD_GLOBAL)
import qgis.core  # QGIS's GEOS now in the global scope, as in the qgis executable
sys.path.insert(0, {pkg!r})
if {hook}:
    from nadir.toolbelt.native import isolate_geos
    assert isolate_geos()
import shapely
polygon = shapely.box(0, 0, 1, 1)
assert polygon.__geo_interface__["type"] == "Polygon"
assert shapely.union_all([polygon, shapely.box(1, 0, 2, 1)]).area == 2.0
tree = shapely.STRtree([polygon])
assert list(tree.query(shapely.Point(0.5, 0.5))) == [0]
del polygon, tree
print("ok")
"""


def run(hook: bool) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"], "QT_QPA_PLATFORM": "offscreen"}
    code = SCRIPT.format(pkg=str(package_parent()), hook=hook)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not hasattr(os, "RTLD_DEEPBIND"), reason="Linux only")
def test_shapely_keeps_its_own_geos_next_to_qgis():
    isolated = run(hook=True)
    assert isolated.returncode == 0 and "ok" in isolated.stdout, isolated.stderr[-2000:]
    clash = run(hook=False)
    if clash.returncode == 0:
        pytest.skip("this shapely uses the same GEOS as QGIS: nothing to isolate")
    assert clash.returncode < 0  # the crash the hook prevents
