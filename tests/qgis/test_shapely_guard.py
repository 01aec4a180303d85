"""shapely's WKT/WKB output inside a process where QGIS's GEOS is global (the qgis and
qgis_process executables): broken without the guard on QGIS 3.22/bookworm, working with it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from support.package import package_parent

SCRIPT = """
import ctypes, ctypes.util, os, sys
ctypes.CDLL(ctypes.util.find_library("geos_c"), mode=os.RTLD_GLOBAL | os.RTLD_NOW)  # as the executables do
import shapely
from shapely.geometry import Polygon
from shapely.errors import GEOSException
polygon = Polygon([(0, 0), (1, 0), (1, 1)])
try:
    polygon.wkt
    before = "ok"
except GEOSException as exc:
    before = str(exc)
if sys.argv[1] == "guard":
    from nadir.toolbelt.compat import guard_shapely_geos
    guard_shapely_geos()
print(before)
print(shapely.GeometryCollection([polygon]).wkt)
print(shapely.to_wkb(polygon, hex=True))
print(shapely.from_wkt(polygon.wkt).equals(polygon))
"""


def run(mode: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join([str(package_parent()), *sys.path])}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT), mode], env=env, capture_output=True,
                          text=True, timeout=120)


def test_wkt_and_wkb_work_with_the_guard_where_they_broke_without_it():
    bare = run("bare")
    guarded = run("guard")
    assert guarded.returncode == 0, guarded.stderr
    before, collection, wkb, same = guarded.stdout.strip().splitlines()[-4:]
    assert collection == "GEOMETRYCOLLECTION (POLYGON ((0 0, 1 0, 1 1, 0 0)))"
    assert wkb.startswith("0103000000") and same == "True"
    if before == "ok":  # QGIS 3.40 / trixie: both GEOS write 4 dimensions; nothing to guard
        assert bare.returncode == 0
    else:
        assert "output dimension" in before
        assert bare.returncode != 0 and "output dimension must be 2 or 3" in bare.stderr
