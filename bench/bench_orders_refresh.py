"""GUI-thread cost of one orders polling result (DESIGN.md F7: "never a frozen map").

Fetching, merging into a working copy of the order book (change detection) and saving
run in the polling task; table rows and overlay features are prepared in a render task;
the GUI thread only adopts the copy, resets the table model and refills the memory layer.
This measures each part for accounts with 100, 1,000 and 5,000 orders (every order's
status changed, the worst case), median of 5 runs, one JSON line per metric;
``gui_apply`` is the stall the map sees.

    QT_QPA_PLATFORM=offscreen python bench/bench_orders_refresh.py
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from support.package import ensure_importable  # noqa: E402

ensure_importable()


def orders(count: int, status: str, lifecycle: object) -> list[object]:
    from nadir.core.models import Money, Order, OrderKind

    result = []
    for i in range(count):
        lon, lat = -10 + (i % 100) * 0.3, 35 + (i // 100) * 0.2
        ring = [[lon, lat], [lon + 0.1, lat], [lon + 0.1, lat + 0.1], [lon, lat + 0.1], [lon, lat]]
        result.append(
            Order(
                provider="clearsky",
                id=f"{i:08d}-0000-4000-8000-000000000000",
                kind=OrderKind.COMPOSITE,
                status=lifecycle,
                raw_status=status,
                created_at=datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=i),
                start=date(2025, 1, 1),
                end=None,
                recurring=True,
                model="Stratus2",
                aoi={"type": "Polygon", "coordinates": [ring]},
                price=Money(amount=Decimal("12.5"), currency="EUR"),
            )
        )
    return result


def main() -> None:
    from qgis.core import QgsApplication, QgsProject

    app = QgsApplication([], False)
    app.initQgis()
    from nadir.core.models import Lifecycle
    from nadir.core.orders.book import OrderBook
    from nadir.ui.orders.overlay import ExistingOrdersOverlay, prepare_features
    from nadir.ui.orders.panel import OrdersPanel
    from nadir.ui.orders.table import prepare_rows

    for count in (100, 1000, 5000):
        before = orders(count, "Review", Lifecycle.PENDING)
        after = orders(count, "Preparing", Lifecycle.IN_PROGRESS)
        timings: dict[str, list[float]] = {name: [] for name in ("task_merge_save", "task_prepare", "gui_apply")}
        for _ in range(5):
            with tempfile.TemporaryDirectory() as folder:
                book = OrderBook(path=Path(folder) / "orders.json")
                book.apply_listing("clearsky", before)
                panel = OrdersPanel()
                overlay = ExistingOrdersOverlay(QgsProject.instance())
                overlay.set_orders(book.orders())
                # in the polling task: merge into a working copy, detect changes, save
                start = time.perf_counter()
                work = book.snapshot()
                events = work.apply_listing("clearsky", after)
                work.save()
                merged = time.perf_counter()
                # in the render task: table rows and overlay features
                entries = work.entries()
                rows = prepare_rows(entries)
                features = prepare_features([e.order for e in entries], overlay.fields)
                prepared = time.perf_counter()
                # on the GUI thread: adopt the copy, show rows, refill the layer
                book.adopt(work)
                panel.set_rows(rows)
                overlay.set_prepared([e.order for e in entries], features)
                shown = time.perf_counter()
                assert len(events) == count and panel.model.rowCount() == count
                for name, value in (
                    ("task_merge_save", merged - start),
                    ("task_prepare", prepared - merged),
                    ("gui_apply", shown - prepared),
                ):
                    timings[name].append(value * 1000)
                overlay.unload()
                panel.deleteLater()
        for name, values in timings.items():
            print(
                json.dumps(
                    {
                        "metric": f"orders_refresh_{name}_ms",
                        "orders": count,
                        "median": round(statistics.median(values), 1),
                        "runs": len(values),
                    }
                )
            )
    app.exitQgis()


if __name__ == "__main__":
    main()
