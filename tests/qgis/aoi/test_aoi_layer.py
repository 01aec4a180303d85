"""The AOI layer survives saving and reopening the project (toolbelt.aoi.layer, ui.aoi.store)."""

from __future__ import annotations

import sqlite3
import zipfile

import pytest
import shapely
from qgis.core import QgsGeometry, QgsProject
from qgis.PyQt.QtCore import QCoreApplication

from nadir.core.aoi.build import build_aois
from nadir.core.aoi.text import read_text
from nadir.toolbelt.aoi.layer import LAYER_PROPERTY, AoiLayer
from nadir.ui.aoi.store import AoiStore
from support.aoi_data import read


def aois_from(*files: str):
    result = []
    for file in files:
        result += build_aois(read_text(read(file)), file, file.split(".")[0]).aois
    return result


@pytest.fixture
def store(qgis_new_project):
    project = QgsProject.instance()
    store = AoiStore(project)
    yield store
    store.close()
    project.clear()


def settle():
    for _ in range(3):
        QCoreApplication.processEvents()


def snapshot(store):
    return sorted(
        (a.id, a.name, round(a.area_km2, 6), a.valid, store.is_chosen(a.id), a.problems) for a in store.aois()
    )


def reopen(store, path):
    project = store.project
    project.clear()
    settle()
    assert store.aois() == []
    assert project.read(str(path))
    settle()


@pytest.mark.parametrize("suffix", ["qgz", "qgs"])
def test_aois_survive_save_and_reopen_including_first_save(store, tmp_path, suffix):
    changes = []
    store.changed.connect(lambda: changes.append(len(store.aois())))
    store.add(aois_from("fields.geojson", "bowtie.wkt"))  # drawn before the project was ever saved
    assert len(store.aois()) == 3 and changes[-1] == 3
    bowtie = next(a for a in store.aois() if not a.valid)
    store.set_chosen([bowtie.id], False)
    store.rename(store.aois()[0].id, "Renamed field")
    assert QgsProject.instance().isDirty()
    before = snapshot(store)
    path = tmp_path / f"project.{suffix}"
    assert QgsProject.instance().write(str(path))
    # the second save after more changes: changes made while the GeoPackage is open (WAL)
    store.add(aois_from("field.wkt"))
    assert QgsProject.instance().write(str(path))
    before = snapshot(store)
    if suffix == "qgs":
        assert (tmp_path / "project_attachments.zip").exists()
    reopen(store, path)
    assert snapshot(store) == before
    layer = store.layer()
    assert layer.customProperty(LAYER_PROPERTY) == "1" and layer.name() == "Areas of interest"
    assert "Renamed field" in {a.name for a in store.aois()}
    assert store.chosen() and bowtie.id not in {a.id for a in store.chosen()}  # invalid or unticked: not chosen


def test_saved_archive_holds_every_aoi_without_qgis(store, tmp_path):
    store.add(aois_from("fields.geojson"))
    path = tmp_path / "p.qgz"
    assert QgsProject.instance().write(str(path))
    store.add(aois_from("field.wkt"))
    store.delete([store.aois()[0].id])
    assert QgsProject.instance().write(str(path))
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".gpkg"))
        (tmp_path / "copy.gpkg").write_bytes(archive.read(name))
        assert not any(n.endswith("-wal") for n in archive.namelist())
    with sqlite3.connect(tmp_path / "copy.gpkg") as db:
        names = sorted(row[0] for row in db.execute("SELECT name FROM aois"))
    assert names == sorted(a.name for a in store.aois()) and len(names) == 2


def test_layer_edits_made_with_qgis_tools_are_checked_again(store):
    store.add(aois_from("field.wkt"))
    layer = store.layer()
    aoi = store.aois()[0]
    fid = next(layer.getFeatures())
    assert layer.startEditing()
    layer.changeGeometry(
        fid.id(), QgsGeometry.fromWkt("MultiPolygon(((1.44 43.60, 1.46 43.61, 1.46 43.60, 1.44 43.61, 1.44 43.60)))")
    )
    assert layer.commitChanges()
    settle()
    edited = store.get(aoi.id)
    assert edited is not None and not edited.valid and edited.errors[0].code == "self_intersection"
    assert edited.area_km2 != pytest.approx(aoi.area_km2)
    # a feature digitised in QGIS becomes an AOI with an id, area and checks
    assert layer.startEditing()
    from qgis.core import QgsFeature

    feature = QgsFeature(layer.fields())
    feature.setGeometry(QgsGeometry.fromWkt("MultiPolygon(((2 45, 2.1 45, 2.1 45.1, 2 45)))"))
    layer.addFeature(feature)
    assert layer.commitChanges()
    settle()
    assert len(store.aois()) == 2
    drawn = next(a for a in store.aois() if a.id != aoi.id)
    assert drawn.valid and drawn.area_km2 > 10 and drawn.source == "edited in QGIS"
    stored = {f["aoi_id"]: f["area_km2"] for f in layer.getFeatures()}
    assert stored[drawn.id] == pytest.approx(drawn.area_km2)


def test_removing_the_layer_empties_the_store_and_a_new_aoi_starts_a_new_layer(store):
    store.add(aois_from("field.wkt"))
    QgsProject.instance().removeMapLayer(store.layer().id())
    settle()
    assert store.aois() == [] and store.layer() is None
    store.add(aois_from("feature.json"))
    assert [a.name for a in store.aois()] == ["Vineyard (Feature)"]


def test_editing_mode_blocks_writes_with_a_clear_message(store):
    from nadir.core.errors import StorageError

    store.add(aois_from("field.wkt"))
    store.layer().startEditing()
    with pytest.raises(StorageError, match="editing mode"):
        store.add(aois_from("feature.json"))
    store.layer().rollBack()


def test_split_replaces_one_aoi_by_its_polygons(store):
    from nadir.core.aoi.build import split_into_polygons

    store.add(aois_from("chukotka_continued.wkt"))
    aoi = store.aois()[0]
    store.replace_with(aoi.id, split_into_polygons(aoi))
    assert sorted(a.polygon_count for a in store.aois()) == [1, 1]
    assert sum(a.area_km2 for a in store.aois()) == pytest.approx(aoi.area_km2)


def test_storage_round_trips_a_million_vertex_aoi(store, tmp_path):
    from support.aoi_data import big_polygon_geojson

    big = build_aois(read_text(big_polygon_geojson(tmp_path / "m.geojson").read_text()), "m", "m").aois
    store.add(big)
    path = tmp_path / "big.qgz"
    assert QgsProject.instance().write(str(path))
    reopen(store, path)
    (aoi,) = store.aois()
    assert aoi.vertex_count == 1_000_000 and shapely.equals(aoi.geometry, big[0].geometry)
    assert AoiLayer(QgsProject.instance()).find() is store.layer()
