"""``nadir:list_orders`` and ``nadir:cancel_order`` headless in ``qgis_process``, against the
sandbox, with credentials from the profile's auth database (DESIGN.md F11)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from nadir.core.credentials import Credentials
from nadir.core.models import ClearSkySpec
from nadir.providers.clearsky.adapter import ClearSky
from nadir.providers.http.session import plain_client
from support.e2e import write_profile_settings
from support.headless import qgis_process_in_profile
from support.package import ROOT
from support.sandbox_profile import master_password_file, prepare_profile

AOI = {"type": "Polygon", "coordinates": [[[9.90, 56.40], [9.93, 56.40], [9.93, 56.42], [9.90, 56.42], [9.90, 56.40]]]}


def qgis_process(base, password, *args):
    return qgis_process_in_profile(base, password, *args, timeout=180)


@pytest.fixture(scope="module")
def headless(tmp_path_factory):
    from sandbox.testing import run_sandbox

    tmp = tmp_path_factory.mktemp("headless")
    base = tmp / "config"
    profile = base / "profiles" / "default"
    (profile / "python" / "plugins").mkdir(parents=True)
    (profile / "python" / "plugins" / "nadir").symlink_to(ROOT, target_is_directory=True)
    write_profile_settings(profile / "QGIS" / "QGIS3.ini")
    password = master_password_file(tmp / "master-password")
    with run_sandbox(tmp / "sandbox") as sb:
        prepare_profile(profile, sb.url, password)
        yield sb, base, password


def place(sb, **changes):
    values = {
        "model": "Stratus2",
        "constellations": ("Sentinel2",),
        "start": date(2024, 1, 1),
        "end": date(2024, 1, 31),
        "frequency_days": 7,
        "api_requests": 1,
        "aoi": AOI,
    }
    values.update(changes)
    adapter = ClearSky({"api": sb.provider_url("clearsky")}, Credentials(secret="clearsky-sandbox-key"), plain_client())
    try:
        return adapter.place(ClearSkySpec(**values), str(uuid.uuid4())).orders[0]
    finally:
        adapter.close()


def test_list_and_cancel_orders_headless(headless, tmp_path):
    sb, base, password = headless
    placed = place(sb)
    output = tmp_path / "orders.gpkg"
    rc, listed, log = qgis_process(base, password, "run", "nadir:list_orders", "--", "PROVIDER=0", f"OUTPUT={output}")
    assert rc == 0, log[-3000:]
    assert listed["results"]["COUNT"] == 1 and output.exists()
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(output), "orders", "ogr")
    (feature,) = layer.getFeatures()
    assert feature["order_id"] == placed.id and feature["status"] == "Review"
    assert "clearsky-sandbox-key" not in log

    rc, preview, log = qgis_process(
        base, password, "run", "nadir:cancel_order", "--", "PROVIDER=0", f"ORDER_ID={placed.id}"
    )
    assert rc == 0, log[-3000:]
    assert preview["results"]["ALLOWED"] is True and preview["results"]["CANCELLED"] is False
    assert "cancelled completely" in preview["results"]["EFFECT"]
    assert sb.requests("/clearsky/api/tasking/orders/cancel") == []

    rc, cancelled, log = qgis_process(
        base, password, "run", "nadir:cancel_order", "--", "PROVIDER=0", f"ORDER_ID={placed.id}", "CONFIRM=true"
    )
    assert rc == 0, log[-3000:]
    assert cancelled["results"]["CANCELLED"] is True and cancelled["results"]["STATUS"] == "Canceled"
