"""Overlapping existing orders can be told apart on the map (issue 16 item 8): a light
fill, small orders drawn over large ones, each labelled along its outline."""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import (
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

from nadir.core.models import Lifecycle
from nadir.ui.orders.overlay import ExistingOrdersOverlay
from support.orders_data import order, square

ARTIFACTS = Path(__file__).resolve().parents[2] / "e2e" / "artifacts"


@pytest.fixture
def overlay(qgis_app):
    project = QgsProject.instance()
    project.clear()
    overlay = ExistingOrdersOverlay(project)
    yield overlay
    overlay.unload()
    project.clear()


def test_overlapping_orders_are_labelled_and_the_small_one_drawn_on_top(overlay):
    big = order(
        "big-0000-aaaa", title="Whole farm", raw="Completed", status=Lifecycle.COMPLETED, aoi=square(10.0, 50.0, 0.4)
    )
    small = order("small-000-bbbb", title="", raw="Completed", status=Lifecycle.COMPLETED, aoi=square(10.1, 50.1, 0.1))
    overlay.set_orders([small, big])
    layer = overlay.layer()
    assert layer.labelsEnabled()
    label = layer.labeling().settings()
    expression = QgsExpression(label.fieldName)
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    texts = {}
    for feature in layer.getFeatures():
        context.setFeature(feature)
        texts[feature["order_id"]] = expression.evaluate(context)
    assert texts == {"big-0000-aaaa": "Whole farm · Completed", "small-000-bbbb": "small-00… · Completed"}
    renderer = layer.renderer()
    assert renderer.orderByEnabled() and "$area" in renderer.orderBy().dump()
    assert all(c.symbol().color().alpha() < 100 for c in renderer.categories())  # stacked ones show darker

    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(layer.extent().buffered(0.05))
    settings.setOutputSize(QSize(500, 500))
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.save(str(ARTIFACTS / "overlay-overlaps.png"))
    centre_small = image.pixelColor(settings.mapToPixel().transform(10.15, 50.15).toQPointF().toPoint())
    inside_big = image.pixelColor(settings.mapToPixel().transform(10.35, 50.35).toQPointF().toPoint())
    assert centre_small.lightness() < inside_big.lightness()  # the overlap is visibly darker
