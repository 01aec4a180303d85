"""Nadir QGIS plugin entry point.

Only ``classFactory`` lives here; everything is imported lazily so that a QGIS
without Nadir's Python dependencies still loads a stand-in that explains what is
missing instead of showing a traceback.
"""


def classFactory(iface):
    from .toolbelt.dependencies import ensure_private_path, missing_dependencies, prefer_private
    from .toolbelt.native import isolate_geos

    isolate_geos()  # before anything imports shapely inside the QGIS executable
    folder = ensure_private_path()
    missing = missing_dependencies()
    if missing:  # system copies too old for Nadir (Debian): its own copies, if it has them
        missing = prefer_private(missing, folder)
    if missing:
        from .toolbelt.standin import StandInPlugin

        return StandInPlugin(iface, missing)
    from .plugin import NadirPlugin

    return NadirPlugin(iface)
