"""shapely inside a process where QGIS's GEOS is global (the qgis and qgis_process
executables): loaded with RTLD_DEEPBIND it calls its own GEOS, so coordinates keep two
dimensions and freeing geometries does not crash; loaded plainly it does not work."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from support.package import package_parent

SCRIPT = """
import ctypes, ctypes.util, os, sys
ctypes.CDLL(ctypes.util.find_library("geos_c"), mode=os.RTLD_GLOBAL | os.RTLD_NOW)  # as the executables do
loaded = False
if sys.argv[1] == "own":
    from nadir.toolbelt.native import isolate_geos
    loaded = "shapely" not in sys.modules and isolate_geos()  # qgis.core imports shapely itself on 3.40
print(loaded)
import shapely
from shapely.geometry import box, mapping, shape
drawn = box(9.90, 56.40, 9.95, 56.43)
again = shape(mapping(drawn))  # what the cart does with a drawn AOI
print(mapping(drawn)["coordinates"][0][0])
print(shapely.union(drawn, box(9.94, 56.42, 10.0, 56.5)).area > drawn.area)
print(shapely.from_wkb(shapely.to_wkb(again)).equals(drawn))
del drawn, again
print("ok")
"""


def run(mode: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": os.pathsep.join([str(package_parent()), *sys.path]),
    }
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT), mode], env=env, capture_output=True, text=True, timeout=120
    )


def system_geos_older_than_shapelys() -> bool:
    import ctypes
    import ctypes.util

    import shapely

    library = ctypes.CDLL(ctypes.util.find_library("geos_c"))
    library.GEOSversion.restype = ctypes.c_char_p
    system = tuple(int(p) for p in library.GEOSversion().decode().split("-")[0].split(".")[:2])
    return system < shapely.geos_version[:2]


def test_own_geos_gives_plain_coordinates_and_no_crash():
    done = run("own")
    assert done.returncode == 0, done.stderr[-3000:]
    loaded, *rest = done.stdout.split()
    assert rest == ["(9.95,", "56.4)", "True", "True", "ok"], done.stdout
    if system_geos_older_than_shapelys():  # QGIS 3.22 on bookworm: the loader is what makes it work
        assert loaded == "True"


@pytest.mark.skipif(not system_geos_older_than_shapelys(), reason="the system GEOS is as new as shapely's")
def test_without_it_shapely_is_broken_here():
    done = run("plain")
    assert done.returncode != 0 or done.stdout.split()[1:3] != ["(9.95,", "56.4)"], done.stdout
