"""Streamed deliveries (toolbelt.deliveries.streaming): a Geopera COG read remotely by GDAL with the
key from a QGIS auth config, and never anywhere else: not in the layer source, not in a
saved project or QGIS's settings, not sent to an unrelated ``/vsicurl/`` URL, not
written for a crafted project pointing the credentials at another address."""

from __future__ import annotations

import httpx
import pytest
from osgeo import gdal
from qgis.core import QgsProject, QgsRasterLayer, QgsSettings

from nadir.core import errors
from nadir.core.deliveries.fetch import fetch_delivery
from nadir.core.deliveries.files import StreamRaster
from nadir.core.deliveries.plan import Mode, provenance_of
from nadir.core.models import Asset
from nadir.toolbelt import auth
from nadir.toolbelt import settings as st
from nadir.toolbelt.connections import adapter_for
from nadir.toolbelt.deliveries.layers import load_result
from nadir.toolbelt.deliveries.streaming import HEADER_DIR, StreamAuth, header_path, parse_source, vsicurl_source
from sandbox.testing import run_sandbox
from support.adapters import geopera_keys
from support.deliveries import delivered, place
from support.fileserver import FileServer


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    with run_sandbox(tmp_path_factory.mktemp("delivery-streaming")) as server:
        yield server


@pytest.fixture
def sb(sandbox):
    sandbox.reset()
    return sandbox


@pytest.fixture
def key(sb):
    return geopera_keys(sb)["full"]


@pytest.fixture
def store(sb, key, auth_manager, clean_settings):
    authcfg = auth.store_basic("Nadir test Geopera (streaming)", "", key)
    settings = st.Settings().with_connection(
        st.ProviderConnection("geopera", urls={"api": sb.provider_url("geopera")}, authcfg=authcfg)
    )
    store = st.SettingsStore()
    store.update(settings)
    yield store
    auth_manager.removeAuthenticationConfig(authcfg)


@pytest.fixture
def streams(store):
    stream_auth = StreamAuth(store)
    stream_auth.install()
    yield stream_auth
    stream_auth.uninstall()
    gdal.VSICurlClearCache()


@pytest.fixture
def project(qgis_app):
    project = QgsProject()
    yield project
    project.clear()


@pytest.fixture
def tiff(tmp_path):
    path = tmp_path / "plain.tif"
    dataset = gdal.GetDriverByName("GTiff").Create(str(path), 32, 32, 3, gdal.GDT_Byte)
    dataset.SetGeoTransform([10.0, 0.001, 0, 56.0, 0, -0.001])
    dataset.GetRasterBand(1).Fill(200)
    dataset = None
    return path.read_bytes()


def stream_layer(sb, tmp_path, project, streams):
    adapter, order_id = delivered(sb, "geopera")
    result = fetch_delivery(adapter, order_id, tmp_path, mode=Mode.STREAM)
    adapter.close()
    report = load_result(result, project, streams.source_for)
    assert not report.problems, report.problems
    return result, report.added[0]


def asset_reads(sb):
    return [r for r in sb.requests("/geopera/v1/items/") if r["method"] in ("GET", "HEAD")]


def test_a_streamed_cog_reads_with_the_key_that_is_nowhere_else(
    sb, key, tmp_path, project, streams, store, auth_manager, request
):
    result, layer = stream_layer(sb, tmp_path, project, streams)
    assert layer.isValid() and layer.bandCount() == 4 and layer.name().endswith("(streamed)")
    assert key not in layer.source() and key not in layer.publicSource()
    options = parse_source(layer.source())
    assert options["url"] == result.streams[0].href and options["header_file"].startswith(HEADER_DIR + "/geopera/")
    block = layer.dataProvider().block(1, layer.extent(), 16, 16)
    assert block.isValid() and any(block.value(r, c) > 0 for r in range(16) for c in range(16))
    reads = asset_reads(sb)
    assert reads and all(r["headers"].get("authorization") == f"Bearer {key}" for r in reads)
    assert any(r["headers"].get("range", "").startswith("bytes=") for r in reads)  # remote reads, no download
    assert not list(tmp_path.rglob("*.tif"))

    # a downloaded delivery beside it, fetched through adapter_for with its key from the auth database
    clearsky_key = "clearsky-sandbox-key"
    authcfg = auth.store_basic("Nadir test ClearSKY (streaming project)", "", clearsky_key)
    request.addfinalizer(lambda: auth_manager.removeAuthenticationConfig(authcfg))
    store.update(
        store.current.with_connection(
            st.ProviderConnection("clearsky", urls={"api": sb.provider_url("clearsky")}, authcfg=authcfg)
        )
    )
    client = adapter_for("clearsky", store.current)
    order_id = place(sb, "clearsky", client, reference="ref-project")
    sb.advance(2 * 24 * 3600)
    downloaded = load_result(fetch_delivery(client, order_id, tmp_path / "downloads"), project)
    client.close()
    assert (
        len(downloaded.added) == 2
        and sb.requests("/clearsky/api/satelliteimages/process")[-1]["headers"]["x-api-key"] == clearsky_key
    )

    saved = tmp_path / "streamed.qgs"
    assert project.write(str(saved))
    text = saved.read_text(encoding="utf-8")
    assert "header_file" in text and "composite_2024-01-01.tif" in text
    assert key not in text and clearsky_key not in text
    QgsSettings().sync()
    settings_text = open(QgsSettings().fileName(), encoding="utf-8", errors="replace").read()
    assert authcfg in settings_text and key not in settings_text and clearsky_key not in settings_text
    written = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())  # project, manifests, rasters
    assert key.encode() not in written and clearsky_key.encode() not in written


def test_an_unrelated_vsicurl_url_gets_no_credentials(sb, key, tmp_path, project, streams, tiff):
    stream_layer(sb, tmp_path, project, streams)
    with FileServer({"/other.tif": tiff}) as other:
        unrelated = QgsRasterLayer(f"/vsicurl/{other.url}/other.tif", "unrelated", "gdal")
        assert unrelated.isValid()
        assert unrelated.dataProvider().block(1, unrelated.extent(), 8, 8).value(0, 0) == 200
        seen = other.requests_for("/other.tif")
        assert seen and all("authorization" not in headers and key not in str(headers) for headers in seen)
        assert all(key not in str(headers) for _, _, headers in other.seen)  # sidecar probes too
    item = asset_reads(sb)[-1]["path"]
    before = len(asset_reads(sb))
    gdal.VSICurlClearCache()  # else GDAL answers from the bytes the authenticated reads cached
    bare = QgsRasterLayer(f"/vsicurl/{sb.url}{item}", "same host, no header file", "gdal")
    assert not bare.isValid()  # the provider refuses it: the key went only where Nadir put it
    assert all("authorization" not in r["headers"] for r in asset_reads(sb)[before:])


def test_a_reopened_project_authenticates_again_through_the_auth_config(sb, key, tmp_path, project, streams, store):
    _, layer = stream_layer(sb, tmp_path, project, streams)
    source = layer.source()
    saved = tmp_path / "reopen.qgs"
    assert project.write(str(saved))
    streams.uninstall()  # as after quitting QGIS: no header file in memory any more
    gdal.VSICurlClearCache()
    header_file = parse_source(source)["header_file"]
    assert gdal.VSIStatL(header_file) is None
    fresh = StreamAuth(store)
    fresh.install()
    try:
        reopened = QgsProject()
        before = len(asset_reads(sb))
        assert reopened.read(str(saved))
        layers = list(reopened.mapLayers().values())
        assert len(layers) == 1 and layers[0].isValid() and layers[0].source() == source
        assert gdal.VSIStatL(header_file) is not None and header_file in fresh.written
        assert all(r["headers"].get("authorization") == f"Bearer {key}" for r in asset_reads(sb)[before:])
        reopened.clear()
    finally:
        fresh.uninstall()
    assert gdal.VSIStatL(header_file) is None


def test_a_crafted_project_cannot_send_the_key_elsewhere(sb, key, tmp_path, project, streams, tiff):
    _, layer = stream_layer(sb, tmp_path, project, streams)
    saved = tmp_path / "crafted.qgs"
    assert project.write(str(saved))
    with FileServer({"/steal.tif": tiff}) as evil:
        legit_url = parse_source(layer.source())["url"]
        crafted = saved.read_text(encoding="utf-8").replace(
            vsicurl_source(legit_url, "X").split("&url=")[1], vsicurl_source(f"{evil.url}/steal.tif").split("&url=")[1]
        )
        assert crafted != saved.read_text(encoding="utf-8")
        (tmp_path / "evil.qgs").write_text(crafted, encoding="utf-8")
        other = QgsProject()
        assert other.read(str(tmp_path / "evil.qgs"))
        (loaded,) = other.mapLayers().values()
        assert "header_file" not in loaded.source()  # the credentials were taken out of the source
        assert evil.requests_for("/steal.tif") and all(key not in str(headers) for _, _, headers in evil.seen)
        other.clear()
        pretend = StreamRaster(
            href=f"{evil.url}/steal.tif",
            needs_auth=True,
            provenance=provenance_of(Asset(provider="geopera", order_id="o", id="x", href=f"{evil.url}/steal.tif")),
        )
        with pytest.raises(errors.InputError, match="only to the Geopera addresses"):
            streams.source_for(pretend)
        assert gdal.VSIStatL(header_path("geopera", pretend.href)) is None


def test_a_pre_signed_link_streams_without_credentials(sb, key, tmp_path, project, streams):
    adapter, order_id = delivered(sb, "geopera")
    result = fetch_delivery(adapter, order_id, tmp_path, mode=Mode.STREAM)
    adapter.close()
    stream = result.streams[0]
    item, asset_key = stream.provenance.item_id, stream.provenance.asset_id.rsplit("/", 1)[-1]
    signed = httpx.post(
        f"{sb.provider_url('geopera')}/v1/op/items.asset.download",
        json={"item_id": item, "asset_id": asset_key},
        headers={"Authorization": f"Bearer {key}"},
    ).json()["url"]
    presigned = stream.model_copy(update={"href": signed, "needs_auth": False})
    before = len(asset_reads(sb))
    source = streams.source_for(presigned)
    assert "header_file" not in source and key not in source
    layer = QgsRasterLayer(source, "signed", "gdal")
    assert layer.isValid() and layer.bandCount() == 4
    assert all("authorization" not in r["headers"] for r in asset_reads(sb)[before:])


def test_connections_that_cannot_stream_say_why(sb, tmp_path, project, store):
    password_user = st.Settings().with_connection(
        st.ProviderConnection(
            "geopera",
            urls={"api": sb.provider_url("geopera")},
            authcfg=auth.store_basic("Nadir test Geopera (user)", "someone@example.com", "pw"),
        )
    )
    store.update(password_user)
    stream_auth = StreamAuth(store)
    try:
        adapter, order_id = delivered(sb, "geopera")
        result = fetch_delivery(adapter, order_id, tmp_path, mode=Mode.STREAM)
        adapter.close()
        report = load_result(result, project, stream_auth.source_for)
        assert report.added == [] and "short-lived tokens" in report.problems[0]
        assert stream_auth.written == frozenset()
    finally:
        stream_auth.uninstall()
