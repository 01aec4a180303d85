"""nadir:download_deliveries (F10, F11): in QGIS an order id becomes files and layers in the
project; headless in qgis_process, files only, with the credentials from the profile's
auth database and none of them in the output."""

from __future__ import annotations

import pytest
from osgeo import gdal
from qgis.core import QgsApplication, QgsProcessingContext, QgsProject

from nadir.toolbelt import auth
from nadir.toolbelt import settings as st
from nadir.toolbelt.deliveries.layers import find_order_group
from sandbox.testing import run_sandbox
from support.deliveries import delivered, oneatlas_key, oneatlas_urls
from support.e2e import write_profile_settings
from support.headless import qgis_process_in_profile
from support.package import ROOT
from support.processing import Feedback
from support.sandbox_profile import master_password_file, prepare_profile

ONEATLAS = 3  # index in the PROVIDER enum (core.provider_info order)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    with run_sandbox(tmp_path_factory.mktemp("delivery-processing")) as server:
        yield server


@pytest.fixture
def connected(sandbox, nadir_processing, auth_manager, clean_settings, tmp_path):
    sandbox.reset()
    authcfg = auth.store_basic("Nadir test OneAtlas (processing)", "", oneatlas_key(sandbox))
    st.save(
        st.Settings(download_folder=str(tmp_path / "default-downloads")).with_connection(
            st.ProviderConnection("oneatlas", urls=oneatlas_urls(sandbox), authcfg=authcfg)
        )
    )
    yield sandbox
    auth_manager.removeAuthenticationConfig(authcfg)
    QgsProject.instance().clear()


def run(parameters, project=None, cancel=False, feedback=None):
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("nadir:download_deliveries")
    assert algorithm is not None
    context, feedback = QgsProcessingContext(), feedback or Feedback()
    if project is not None:
        context.setProject(project)
    if cancel:
        feedback.cancel()
    results, ok = algorithm.run(parameters, context, feedback)
    return results, ok


def test_an_order_becomes_files_and_layers_in_the_project(connected, tmp_path):
    adapter, order_id = delivered(connected, "oneatlas")
    adapter.close()
    project = QgsProject.instance()
    results, ok = run(
        {"PROVIDER": ONEATLAS, "ORDER_ID": order_id, "FOLDER": str(tmp_path / "out"), "LOAD": True}, project
    )
    assert ok, results
    assert results["OUTPUT_FOLDER"] == str(tmp_path / "out" / f"oneatlas_{order_id}")
    assert len(results["FILES"]) == 2 and all(gdal.Open(path).RasterCount >= 1 for path in results["FILES"])
    assert results["LAYERS"] == 2 and results["FAILED"] == 0
    group = find_order_group(project, "oneatlas", order_id)
    assert group is not None and sorted(node.layer().source() for node in group.findLayers()) == sorted(
        results["FILES"]
    )
    assert all(
        node.layer().metadata().identifier().startswith(f"nadir:oneatlas:{order_id}:") for node in group.findLayers()
    )

    again, ok = run({"PROVIDER": ONEATLAS, "ORDER_ID": order_id, "LOAD": False}, project)
    assert ok and again["LAYERS"] == 0 and again["OUTPUT_FOLDER"].startswith(str(tmp_path / "default-downloads"))
    assert len(group.findLayers()) == 2


def test_errors_are_processing_errors(connected, tmp_path):
    unknown = Feedback()
    _, ok = run(
        {"PROVIDER": ONEATLAS, "ORDER_ID": "00000000-0000-4000-8000-000000000000", "FOLDER": str(tmp_path)},
        feedback=unknown,
    )
    assert not ok and any("Airbus OneAtlas" in error and "404" in error for error in unknown.errors), unknown.errors
    unconfigured = Feedback()
    _, ok = run({"PROVIDER": 0, "ORDER_ID": "x", "FOLDER": str(tmp_path)}, feedback=unconfigured)
    assert not ok and any("No credentials are set for ClearSKY Vision" in e for e in unconfigured.errors)
    adapter, order_id = delivered(connected, "oneatlas", reference="ref-cancel")
    adapter.close()
    _, ok = run({"PROVIDER": ONEATLAS, "ORDER_ID": order_id, "FOLDER": str(tmp_path)}, cancel=True)
    assert not ok and not list(tmp_path.rglob("*.JP2"))


def qgis_process(base, password, *args):
    return qgis_process_in_profile(base, password, *args, timeout=240)


def test_headless_qgis_process_writes_the_files(sandbox, tmp_path):
    sandbox.reset()
    base = tmp_path / "config"
    profile = base / "profiles" / "default"
    (profile / "python" / "plugins").mkdir(parents=True)
    (profile / "python" / "plugins" / "nadir").symlink_to(ROOT, target_is_directory=True)
    write_profile_settings(profile / "QGIS" / "QGIS3.ini")
    password = master_password_file(tmp_path / "master-password")
    prepare_profile(profile, sandbox.url, password)
    adapter, order_id = delivered(sandbox, "oneatlas")
    adapter.close()
    out = tmp_path / "headless-out"
    rc, answer, log = qgis_process(
        base,
        password,
        "run",
        "nadir:download_deliveries",
        "--",
        f"PROVIDER={ONEATLAS}",
        f"ORDER_ID={order_id}",
        f"FOLDER={out}",
        "LOAD=true",
    )
    assert rc == 0, log[-4000:]
    results = answer["results"]
    assert results["OUTPUT_FOLDER"] == str(out / f"oneatlas_{order_id}") and results["LAYERS"] == 0
    files = results["FILES"]
    assert len(files) == 2 and all(path.endswith(".JP2") and gdal.Open(path).RasterXSize > 0 for path in files)
    assert oneatlas_key(sandbox) not in log
    assert sandbox.requests("/oneatlas-access/api/v1/items/")
