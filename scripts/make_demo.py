"""Prepare `make run`: a QGIS profile with Nadir enabled and connected to the sandbox,
and a demo project with QGIS's own world_map.gpkg as an offline basemap.

    python scripts/make_demo.py <runs-dir> <sandbox-url>

Writes <runs-dir>/profiles/nadir-demo (plugin linked, QGIS3.ini, auth database with one
Basic config per provider holding the sandbox's demo credentials, Nadir connections
pointing at the sandbox) and <runs-dir>/demo.qgz. The auth database is protected by a
random master password kept in <runs-dir>/master-password (git-ignored), which
`make run` hands to QGIS through QGIS_AUTH_PASSWORD_FILE.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from support.e2e import write_profile_settings  # noqa: E402
from support.package import ensure_importable  # noqa: E402
from support.sandbox_profile import connect, master_password_file, open_profile  # noqa: E402

PROFILE = "nadir-demo"
WORLD = "/usr/share/qgis/resources/data/world_map.gpkg"


def quiet_environment(runs: Path) -> None:
    """What `make run` printed that nobody needs: QGIS's authentication database writes
    its salt, hash and IV as Qt debug messages when the master password is set
    (silenced: debug messages off unless QT_LOGGING_RULES says otherwise), and Qt warns
    that XDG_RUNTIME_DIR is not set (given a private one under .run/)."""
    os.environ.setdefault("QT_LOGGING_RULES", "*.debug=false")
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = runs / "xdg-runtime"
        runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)


def main(runs: Path, sandbox_url: str) -> None:
    runs.mkdir(parents=True, exist_ok=True)
    quiet_environment(runs)
    profile = runs / "profiles" / PROFILE
    plugins = profile / "python" / "plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    link = plugins / "nadir"
    if not link.exists():
        link.symlink_to(ROOT, target_is_directory=True)
    ini = profile / "QGIS" / "QGIS3.ini"
    if not ini.exists():
        write_profile_settings(ini)
    app = open_profile(profile, master_password_file(runs / "master-password"))
    ensure_importable()
    connect(ini, sandbox_url, poll_interval_s=10, download_folder=str(runs / "downloads"))
    make_project(runs / "demo.qgz")
    app.exitQgis()


def make_project(path: Path) -> None:
    if path.exists():
        return
    from osgeo import gdal

    gdal.PushErrorHandler("CPLQuietErrorHandler")  # world_map.gpkg's dates: "Non-conformant content" warnings
    try:
        write_project(path)
    finally:
        gdal.PopErrorHandler()


def write_project(path: Path) -> None:
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsProject,
        QgsRectangle,
        QgsReferencedRectangle,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtGui import QColor

    project = QgsProject.instance()
    project.clear()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    project.setBackgroundColor(QColor("#a6cee3"))
    for name, fill, outline in (("countries", "#f2efe9", "#9a9a9a"), ("states_provinces", None, "#c8c8c8")):
        layer = QgsVectorLayer(f"{WORLD}|layername={name}", name.replace("_", " ").title(), "ogr")
        if not layer.isValid():
            raise SystemExit(f"cannot open {WORLD} layer {name}")
        symbol = layer.renderer().symbol()
        if fill:
            symbol.setColor(QColor(fill))
        else:
            symbol.symbolLayer(0).setBrushStyle(0)  # Qt.NoBrush
        symbol.symbolLayer(0).setStrokeColor(QColor(outline))
        symbol.symbolLayer(0).setStrokeWidth(0.2)
        if name == "states_provinces":
            layer.setMaximumScale(1.0)
            layer.setMinimumScale(20_000_000.0)
            layer.setScaleBasedVisibility(True)
        project.addMapLayer(layer)
    extent = QgsReferencedRectangle(QgsRectangle(-1_500_000, 4_200_000, 3_500_000, 8_300_000), project.crs())
    project.viewSettings().setDefaultViewExtent(extent)  # Europe
    project.setTitle("Nadir demo (offline basemap: Natural Earth from QGIS's world_map.gpkg)")
    if not project.write(str(path)):
        raise SystemExit(f"could not write {path}")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), sys.argv[2].rstrip("/"))
