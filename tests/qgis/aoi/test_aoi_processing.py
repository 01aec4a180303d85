"""``nadir:import_aoi`` in Processing and headless through ``qgis_process.bin``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from qgis.core import (
    QgsApplication,
    QgsFeature,
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsRectangle,
    QgsVectorLayer,
)

from nadir.core.aoi import rules as aoi_rules
from nadir.processing.aoi.import_aoi import PROVIDER_CHOICES, ImportAoiAlgorithm
from nadir.processing.provider import NadirProcessingProvider
from support.aoi_data import DATA
from support.package import ROOT

QGIS_PROCESS = Path("/usr/bin/qgis_process.bin")


@pytest.fixture(scope="module")
def provider(qgis_app):
    provider = NadirProcessingProvider()
    assert QgsApplication.processingRegistry().addProvider(provider)
    yield provider
    QgsApplication.processingRegistry().removeProvider(provider)


def run(parameters, tmp_path):
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("nadir:import_aoi")
    assert algorithm is not None
    context = QgsProcessingContext()
    feedback = QgsProcessingFeedback()
    output = str(tmp_path / "out.gpkg")
    results, ok = algorithm.run({**parameters, "OUTPUT": output}, context, feedback)
    assert ok, results
    layer = QgsVectorLayer(results["OUTPUT"], "out", "ogr")
    return results, {f["name"]: f for f in layer.getFeatures()}


def test_the_provider_choices_are_the_providers_with_aoi_rules_in_their_order():
    # the enum index a user or a model stored must keep naming the same provider's rules
    assert PROVIDER_CHOICES == ("", *aoi_rules.RULES)


def test_import_a_file_with_repair_and_provider_rules(provider, tmp_path):
    results, rows = run({"FILE": str(DATA / "bowtie.wkt"), "REPAIR": True, "PROVIDER": 4}, tmp_path)
    assert results["AOIS"] == 1 and results["INVALID"] == 0
    row = rows["bowtie"]
    assert row["valid"] == 1 and row.geometry().constGet().numGeometries() == 2 and row["area_km2"] > 0.5
    (tmp_path / "b").mkdir()
    results, rows = run({"FILE": str(DATA / "tiny.geojson"), "PROVIDER": 4}, tmp_path / "b")
    assert results["INVALID"] == 1 and rows["tiny"]["valid"] == 0
    problems = json.loads(rows["tiny"]["problems"])
    assert problems[0]["code"] == "too_small" and problems[0]["provider"] == "oneatlas"


def test_import_a_layer_in_another_crs(provider, tmp_path):
    layer = QgsVectorLayer("Polygon?crs=EPSG:3857&field=name:string", "parcels", "memory")
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["parcel"])
    feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(0, 5e6, 10000, 5.01e6)))
    layer.dataProvider().addFeatures([feature])
    results, rows = run({"INPUT": layer}, tmp_path)
    assert results["AOIS"] == 1 and 55 < rows["parcel"]["area_km2"] < 60


def test_refused_features_are_reported_and_nothing_is_an_error(provider, tmp_path):
    results, rows = run({"FILE": str(DATA / "points_lines.geojson")}, tmp_path)
    assert results["REFUSED"] == 2 and list(rows) == ["the field"]
    algorithm = ImportAoiAlgorithm()
    algorithm.initAlgorithm()
    with pytest.raises(QgsProcessingException, match="either a layer"):
        algorithm.processAlgorithm({}, QgsProcessingContext(), QgsProcessingFeedback())
    with pytest.raises(QgsProcessingException, match="0 bytes"):
        algorithm.processAlgorithm(
            {"FILE": str(DATA / "empty.zip"), "OUTPUT": "memory:"}, QgsProcessingContext(), QgsProcessingFeedback()
        )


def make_profile(base: Path) -> Path:
    """A QGIS profile with Nadir linked in, enabled, and its dependencies in the private folder."""
    profile = base / "profiles" / "default"
    (profile / "python" / "plugins").mkdir(parents=True)
    (profile / "python" / "plugins" / "nadir").symlink_to(ROOT, target_is_directory=True)
    (profile / "QGIS").mkdir()
    (profile / "QGIS" / "QGIS3.ini").write_text("[PythonPlugins]\nnadir=true\n", encoding="utf-8")
    tag = f"python{sys.version_info.major}.{sys.version_info.minor}"
    (profile / "nadir").mkdir()
    (profile / "nadir" / tag).symlink_to(sysconfig.get_paths()["purelib"], target_is_directory=True)
    return base


@pytest.mark.skipif(not QGIS_PROCESS.exists(), reason="qgis_process.bin is not installed")
def test_qgis_process_runs_the_algorithm_with_the_plugin_in_a_profile(tmp_path):
    config = make_profile(tmp_path / "config")
    output = tmp_path / "aois.gpkg"
    env = {
        **os.environ,
        "QGIS_CUSTOM_CONFIG_PATH": str(config),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(tmp_path),
    }
    env.pop("PYTHONPATH", None)
    command = [
        str(QGIS_PROCESS),
        "--json",
        "run",
        "nadir:import_aoi",
        f"--FILE={DATA / 'fiji_jumping.geojson'}",
        "--PROVIDER=2",
        f"--OUTPUT={output}",
    ]
    completed = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    answer = json.loads(completed.stdout[completed.stdout.index("{") :])
    assert answer["results"]["AOIS"] == 1 and answer["results"]["INVALID"] == 0
    layer = QgsVectorLayer(str(output), "aois", "ogr")
    (feature,) = layer.getFeatures()
    assert feature["name"] == "Fiji box" and feature.geometry().constGet().numGeometries() == 2
    assert json.loads(feature["problems"])[0]["code"] == "antimeridian_split"
    # an unreadable input fails with the message, not a traceback
    bad = subprocess.run(
        [
            str(QGIS_PROCESS),
            "run",
            "nadir:import_aoi",
            f"--FILE={DATA / 'empty.zip'}",
            f"--OUTPUT={tmp_path / 'x.gpkg'}",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert bad.returncode != 0 and "is empty (0 bytes)" in bad.stdout + bad.stderr
    assert "Traceback" not in bad.stdout + bad.stderr


def geos_linked_by_qgis() -> Path | None:
    import qgis._core as core

    found = subprocess.run(["ldd", core.__file__], capture_output=True, text=True, check=False).stdout
    match = re.search(r"libgeos_c\.so\S* => (\S+)", found)
    return Path(match.group(1)) if match else None


def test_core_works_with_the_geos_qgis_links(tmp_path):
    """Inside QGIS, shapely's GEOS calls bind to the GEOS QGIS loaded first (3.11 on Debian
    bookworm), not to shapely's own copy. Preloading it here reproduces that."""
    geos = geos_linked_by_qgis()
    if geos is None:
        pytest.skip("cannot find the libgeos_c QGIS links")
    script = f"""
import sys
sys.path.insert(0, {str(ROOT / "tests")!r})
from support.package import ensure_importable
ensure_importable()
import shapely
from pathlib import Path
from nadir.core.aoi.text import read_text
from nadir.core.aoi.build import build_aois, repair_preview, simplify_preview, with_geometry
data = Path({str(DATA)!r})
names = ["fields.geojson", "bowtie.wkt", "fiji_jumping.geojson", "chukotka_continued.wkt",
         "up42_too_many_vertices.geojson", "overlapping_parts.geojson", "unclosed.wkt"]
for name in names:
    for aoi in build_aois(read_text((data / name).read_text()), name, name).aois:
        if not aoi.valid:
            aoi = with_geometry(aoi, repair_preview(aoi).geometry)
        assert aoi.valid, (name, aoi.problems)
        if aoi.vertex_count > 999:
            assert simplify_preview(aoi, 999).vertices_after <= 999
        shapely.to_wkb(aoi.geometry, output_dimension=2)
print("ok", shapely.geos_version)
"""
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "LD_PRELOAD": str(geos)},
        check=False,
    )
    assert completed.returncode == 0 and "ok" in completed.stdout, completed.stderr[-3000:]


def test_the_output_is_not_named_like_the_dock_layer(provider):
    """Its temporary output layer takes the output's description: it must not read
    "Areas of interest", the name of the AOI layer the dock keeps (issue 16 item 8)."""
    from qgis.core import QgsApplication

    algorithm = QgsApplication.processingRegistry().algorithmById("nadir:import_aoi")
    output = algorithm.parameterDefinition("OUTPUT")
    assert output.description() == "Imported AOIs" != "Areas of interest"
