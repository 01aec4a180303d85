"""Signed links leave no credential behind, the way QGIS runs the plugin: not in the
QGIS message log at DEBUG (``toolbelt.log.install()`` formats records before httpx's
query filter runs), and not in a saved project (.qgs and .qgz) holding a layer streamed
from a pre-signed URL: its source, the layer tree and its Nadir metadata."""

from __future__ import annotations

import logging
import zipfile

import pytest
from osgeo import gdal
from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtWidgets import QApplication

from nadir.core.deliveries.files import DeliveryResult, StreamRaster
from nadir.core.deliveries.plan import provenance_of
from nadir.core.models import Asset
from nadir.providers.http import session as http
from nadir.toolbelt import log
from nadir.toolbelt import settings as st
from nadir.toolbelt.deliveries.layers import load_result
from nadir.toolbelt.deliveries.streaming import StreamAuth, parse_source
from support.fileserver import FileServer
from support.httpserver import Reply, ScriptedServer

QUERY = (
    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAQGISEXAMPLE%2F20240101&X-Amz-Signature=AMZsig0123456789"
    "&sig=SASsig0123456789&signature=SIGabc123def&token=TOKq1w2e3r4&band=1"
)
SECRETS = (
    "AKIAQGISEXAMPLE",
    "AMZsig0123456789",
    "SASsig0123456789",
    "SIGabc123def",
    "TOKq1w2e3r4",
    "COOKIEsecret42",
    "LOCsig98765",
)


@pytest.fixture
def nadir_log(qgis_app):
    received: list[str] = []

    def on_message(message, tag, level):
        if tag == "Nadir":
            received.append(message)

    QgsApplication.messageLog().messageReceived.connect(on_message)
    log.install("DEBUG")
    yield received
    log.uninstall()
    QgsApplication.messageLog().messageReceived.disconnect(on_message)


def test_signed_links_redirects_and_cookies_stay_out_of_the_qgis_log_at_debug(nadir_log):
    with ScriptedServer() as server:
        server.script(
            "GET",
            "/a",
            Reply(302, headers={"Location": "/b?sig=LOCsig98765&se=1", "Set-Cookie": "session=COOKIEsecret42; Path=/"}),
        )
        server.script("GET", "/b", Reply(200, json={"ok": 1}))
        session = http.HttpSession("up42", http.plain_client())
        session.request("GET", f"{server.url}/a?{QUERY}", endpoint="assets.download")
    logging.getLogger("nadir.test").debug("fetching https://h/x.tif?%s", QUERY)
    QApplication.processEvents()
    text = "\n".join(nadir_log)
    assert "HTTP Request: GET" in text and "receive_response_headers" in text and "fetching" in text
    for secret in SECRETS:
        assert secret not in text, f"{secret} reached the QGIS log:\n{text}"


@pytest.fixture
def cog(tmp_path):
    path = tmp_path / "cog.tif"
    dataset = gdal.GetDriverByName("GTiff").Create(str(path), 32, 32, 3, gdal.GDT_Byte)
    dataset.SetGeoTransform([10.0, 0.001, 0, 56.0, 0, -0.001])
    dataset.GetRasterBand(1).Fill(200)
    dataset = None
    return path.read_bytes()


@pytest.mark.parametrize("suffix", [".qgs", ".qgz"])
def test_a_project_with_a_layer_streamed_from_a_signed_link_holds_no_signature(
    qgis_app, clean_settings, tmp_path, cog, suffix
):
    with FileServer({"/bucket/scene.tif": cog}) as server:
        signed = f"{server.url}/bucket/scene.tif?{QUERY}"
        asset = Asset(
            provider="up42",
            order_id="order-1",
            id="scene",
            href=signed,
            needs_auth=False,
            extra={"links": [{"rel": "self", "href": signed}], "order_note": f"from {signed}"},
        )
        stream = StreamRaster(href=signed, provenance=provenance_of(asset), needs_auth=False)
        result = DeliveryResult(provider="up42", order_id="order-1", folder=str(tmp_path), streams=(stream,))
        project = QgsProject()
        streams = StreamAuth(st.SettingsStore())
        try:
            report = load_result(result, project, streams.source_for)
            assert not report.problems and len(report.added) == 1
            layer = report.added[0]
            assert layer.isValid() and parse_source(layer.source())["url"] == signed  # the live layer reads it
            saved = tmp_path / f"signed{suffix}"
            assert project.write(str(saved))
            assert parse_source(layer.source())["url"] == signed  # saving does not break the open layer
        finally:
            project.clear()
            gdal.VSICurlClearCache()
    if suffix == ".qgz":
        with zipfile.ZipFile(saved) as archive:
            text = "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    else:
        text = saved.read_text(encoding="utf-8")
    assert "bucket%2Fscene.tif" in text or "bucket/scene.tif" in text
    for secret in SECRETS:
        assert secret not in text, f"{secret} saved in the project"
    assert "band%3D1" in text or "band=1" in text  # what is not a credential stays
