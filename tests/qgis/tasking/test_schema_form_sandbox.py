"""The form's values and the tasking geometry are what UP42 accepts: the schema fetched
from the sandbox over HTTP, the form filled through its widgets, the AOI a country of
QGIS's world map, the estimate priced by the sandbox (which validates with jsonschema)."""

from __future__ import annotations

import pytest
from qgis.PyQt.QtCore import QDateTime, Qt, QTime
from qgis.PyQt.QtWidgets import QApplication

from support.aoi_data import WORLD_MAP, world_countries


@pytest.mark.skipif(not WORLD_MAP.exists(), reason="QGIS's world_map.gpkg is not installed")
def test_form_values_and_tasking_geometry_are_priced_by_the_sandbox(qgis_app, live_sandbox):
    from nadir.core import errors
    from nadir.core.models import TaskingSpec
    from nadir.core.tasking.geometry import Multipart, tasking_geometry
    from nadir.ui.tasking.schema_form import SchemaForm
    from support.adapters import up42

    live_sandbox.reset()
    adapter = up42(live_sandbox)
    product = next(p.id for p in adapter.data_products() if p.collection == "phr-tasking")
    schema = adapter.product_schema(product)
    form = SchemaForm(schema)
    form.show()
    form.widget_for(("displayName",)).setText("Luxembourg tasking")
    start = QDateTime.currentDateTimeUtc().addDays(3)
    start = QDateTime(start.date(), QTime(0, 0), Qt.TimeSpec.UTC)
    form.widget_for(("acquisitionStart",)).setDateTime(start)
    form.widget_for(("acquisitionEnd",)).setDateTime(start.addDays(20))
    mode = form.widget_for(("acquisitionMode",))
    mode.setCurrentIndex(mode.findData("mono"))
    form.widget_for(("cloudCoverage",)).setValue(10)
    form.widget_for(("incidenceAngle",)).setValue(25)
    QApplication.processEvents()
    assert form.validate() == [] and form.geometry_paths() == [("geometry",)]
    country = dict(world_countries())["Luxembourg"]
    geometry = tasking_geometry(country, Multipart.LARGEST).geojson()
    estimate = adapter.estimate(TaskingSpec(data_product_id=product, params=form.values(), geometry=geometry))
    assert estimate.total.amount > 0 and not estimate.errors
    # and a value the form flags is refused by the sandbox too (the two agree)
    from nadir.core.tasking.schema import validate

    assert [e.path for e in validate(schema, {**form.values(), "cloudCoverage": 50}, skip=[("geometry",)])] == [
        ("cloudCoverage",)
    ]
    with pytest.raises(errors.ProviderRejected, match="cloudCoverage"):
        adapter.estimate(
            TaskingSpec(data_product_id=product, params={**form.values(), "cloudCoverage": 50}, geometry=geometry)
        )
    form.close()
