"""AOI import speed (DESIGN.md 6: all countries of world_map.gpkg imported and validated in
under 1 s) and the 1,000,000-vertex AOI.

Each metric is the median of several runs, printed as one JSON line:
``{"metric": ..., "value": ..., "unit": ..., "runs": ...}``.

    QT_QPA_PLATFORM=offscreen python bench/bench_aoi.py [runs]
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from support.package import ensure_importable  # noqa: E402

ensure_importable()

from qgis.core import QgsApplication  # noqa: E402

WORLD_MAP = Path("/usr/share/qgis/resources/data/world_map.gpkg")


def measure(
    metric: str, work: Callable[[], Any], runs: int, unit: str = "s", check: Callable[[Any], None] | None = None
) -> None:
    work()  # warm-up: imports, GDAL driver registration, file cache
    times = []
    cpu = []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = work()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        if check is not None:
            check(result)
    # "cpu" is this process's CPU time: on a busy machine it shows what wall time would be
    # on a quiet one (the work is single-threaded).
    print(
        json.dumps(
            {
                "metric": metric,
                "value": round(statistics.median(times), 4),
                "unit": unit,
                "runs": runs,
                "min": round(min(times), 4),
                "max": round(max(times), 4),
                "cpu": round(statistics.median(cpu), 4),
            }
        ),
        flush=True,
    )


def main(runs: int = 7) -> None:
    app = QgsApplication([], False)
    app.initQgis()
    from nadir.core.aoi.build import build_aois, raw_from_geometry, simplify_preview
    from nadir.core.aoi.text import read_text
    from nadir.toolbelt import geometry as geo
    from nadir.toolbelt.aoi import files as aoi_files
    from support.aoi_data import big_polygon_geojson, world_countries

    context = geo.transform_context()
    uri = f"{WORLD_MAP}|layername=countries"

    def world() -> Any:
        return aoi_files.finish_import(aoi_files.read_ogr_layer(uri, context), "world_map.gpkg", "country")

    def world_ok(result: Any) -> None:
        assert len(result.aois) == 240 and all(a.valid for a in result.aois)

    measure("aoi_world_map_countries_import_and_validate", world, runs, check=world_ok)

    countries = world_countries()

    def world_core() -> Any:
        raws = [raw_from_geometry(g, i, n) for i, (n, g) in enumerate(countries, 1)]
        return build_aois(raws, "world", "country")

    measure("aoi_world_map_countries_validate_only_core", world_core, runs, check=world_ok)

    with tempfile.TemporaryDirectory() as tmp:
        path = big_polygon_geojson(Path(tmp) / "million.geojson")
        big_runs = max(3, runs // 2)

        def million() -> Any:
            return aoi_files.import_file(path, context)

        def million_ok(result: Any) -> None:
            assert result.aois[0].vertex_count == 1_000_000 and result.aois[0].valid

        measure("aoi_million_vertex_geojson_import_and_validate", million, big_runs, check=million_ok)
        aoi = million().aois[0]

        def simplify() -> Any:
            return simplify_preview(aoi, 999)

        measure(
            "aoi_million_vertex_simplify_to_999",
            simplify,
            big_runs,
            check=lambda r: None if r.vertices_after <= 999 else sys.exit("simplify missed the budget"),
        )
        text = path.read_text(encoding="utf-8")
        measure("aoi_million_vertex_parse_text_only", lambda: read_text(text), big_runs)
    app.exitQgis()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
