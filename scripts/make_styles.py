"""Write resources/styles/*.qml from the styles built in code (run with QGIS's Python).

    QT_QPA_PLATFORM=offscreen python scripts/make_styles.py

The shipped QML files are what Nadir's layers load (toolbelt/styles.py); edit them in
QGIS (Layer Properties > Style > Save Style) or regenerate them from the code here.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support.package import ensure_importable  # noqa: E402

ensure_importable()

from qgis.core import QgsApplication, QgsVectorLayer  # noqa: E402


def main() -> None:
    app = QgsApplication([], False)
    app.initQgis()
    from nadir.toolbelt import styles
    from nadir.toolbelt.aoi.layer import apply_style
    from nadir.toolbelt.orders.layer import style_orders
    from nadir.ui.grid.layer import grid_renderer

    makers = {
        styles.AOI: apply_style,
        styles.GRID: lambda layer: layer.setRenderer(grid_renderer()),
        styles.ORDERS: style_orders,
    }
    styles.SHIPPED.mkdir(parents=True, exist_ok=True)
    for name, make in makers.items():
        layer = QgsVectorLayer("Polygon?crs=EPSG:4326", name, "memory")
        make(layer)
        path = styles.SHIPPED / f"{name}.qml"
        message, ok = layer.saveNamedStyle(str(path), styles.CATEGORIES)
        if not ok:
            raise SystemExit(f"{path}: {message}")
        print(path.relative_to(ROOT))
    app.exitQgis()


if __name__ == "__main__":
    main()
