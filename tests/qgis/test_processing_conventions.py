"""Nadir's algorithms follow Processing's conventions (issue 17, item 7): dates are Date
parameters, a folder output is a folder destination, every algorithm has its own icon
(an SVG by path), and the string dates of qgis_process and older scripts still pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsProcessingContext
from qgis.PyQt.QtGui import QIcon

from nadir.processing.provider import NadirProcessingProvider
from nadir.toolbelt.compat import DATE_ONLY
from nadir.toolbelt.identity import PLUGIN_DIR

# name: optional. FROM is optional as a parameter (archive captures have no period) and
# required for ClearSKY by checkParameterValues (see the bad-date test below).
DATES = {"FROM": True, "TO": True, "REFERENCE_DATE": True}


@pytest.fixture(scope="module")
def algorithms(qgis_app):
    registry = QgsApplication.processingRegistry()
    made = None
    if registry.providerById("nadir") is None:
        made = NadirProcessingProvider()
        registry.addProvider(made)
    yield {a.id(): a for a in registry.providerById("nadir").algorithms()}
    if made is not None:
        registry.removeProvider(made)


def test_algorithm_ids_stay_what_models_and_scripts_call(algorithms):
    """Models, scripts and qgis_process calls name algorithms by id: moving their modules
    into feature packages (processing/<feature>/) must not change one."""
    assert sorted(algorithms) == [
        "nadir:cancel_order",
        "nadir:download_deliveries",
        "nadir:estimate",
        "nadir:import_aoi",
        "nadir:list_orders",
        "nadir:place_order",
        "nadir:search_archive",
        "nadir:task_acquisition",
        "nadir:tasking_decision",
        "nadir:tile_cover",
    ]


@pytest.mark.parametrize("algorithm_id", ["nadir:estimate", "nadir:place_order"])
def test_order_dates_are_date_parameters(algorithms, algorithm_id):
    algorithm = algorithms[algorithm_id]
    for name, optional in DATES.items():
        parameter = algorithm.parameterDefinition(name)
        assert parameter.type() == "datetime", (name, parameter.type())
        assert parameter.dataType() == DATE_ONLY, name
        assert parameter.checkValueIsAcceptable(None) == optional, name  # flags are scoped from 3.36 on


def test_the_download_folder_is_a_folder_destination(algorithms):
    algorithm = algorithms["nadir:download_deliveries"]
    parameter = algorithm.parameterDefinition("FOLDER")
    assert parameter.type() == "folderDestination"
    assert parameter.checkValueIsAcceptable(None) and not parameter.createByDefault()  # optional
    assert "FOLDER" in [output.name() for output in algorithm.outputDefinitions()]


def test_every_algorithm_has_its_own_svg_icon(algorithms):
    assert len(algorithms) == 10
    paths = {}
    for algorithm_id, algorithm in algorithms.items():
        path = Path(algorithm.svgIconPath())
        assert path.is_file() and path.suffix == ".svg", algorithm_id
        assert path.parent == PLUGIN_DIR / "resources" / "icons" and path.name != "nadir.svg", algorithm_id
        assert not algorithm.icon().isNull() and algorithm.icon().availableSizes() is not None
        assert not QIcon(str(path)).pixmap(32, 32).isNull(), algorithm_id  # the SVG renders
        paths[algorithm_id] = path
    assert len(set(paths.values())) == len(paths)


@pytest.mark.parametrize("algorithm_id", ["nadir:estimate", "nadir:place_order"])
@pytest.mark.parametrize(
    "dates",
    [
        {"FROM": "2025-01", "TO": "2025-01-31"},  # what qgis_process and scripts pass
        {"FROM": "2025-01-01", "TO": "2025-01-31", "REFERENCE_DATE": "2025-01-03"},
        {"FROM": "2025-01-01T00:00:00", "TO": ""},
    ],
)
def test_string_dates_pass_the_parameter_check(algorithms, algorithm_id, dates):
    algorithm = algorithms[algorithm_id].create()
    ok, message = algorithm.checkParameterValues({"TILES": "abc", "PROVIDER": 0, **dates}, QgsProcessingContext())
    assert ok, message


def test_a_bad_string_date_is_explained_by_the_parameter_check(algorithms):
    algorithm = algorithms["nadir:estimate"].create()
    ok, message = algorithm.checkParameterValues({"TILES": "abc", "FROM": "next spring"}, QgsProcessingContext())
    assert not ok and "From" in message and "YYYY-MM" in message
    ok, message = algorithm.checkParameterValues(
        {"TILES": "abc", "FROM": "2025-01", "TO": "31/01/2025"}, QgsProcessingContext()
    )
    assert not ok and "To" in message
    ok, message = algorithm.checkParameterValues({"TILES": "abc"}, QgsProcessingContext())
    assert not ok  # From is required
