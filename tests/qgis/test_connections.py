"""adapter_for: settings + QGIS auth database + client factory + registry, end to end."""

from __future__ import annotations

import pytest

from nadir.core.errors import InputError
from nadir.core.ports import SupportsGrid
from nadir.toolbelt import auth
from nadir.toolbelt import settings as st
from nadir.toolbelt.connections import adapter_for
from sandbox.testing import run_sandbox


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    with run_sandbox(tmp_path_factory.mktemp("qgis-sandbox")) as server:
        yield server


def test_adapter_for_resolves_credentials_and_reaches_the_provider(auth_manager, clean_settings, sandbox):
    authcfg = auth.store_basic("Nadir test ClearSKY (connections)", "", "clearsky-sandbox-key")
    settings = st.Settings().with_connection(
        st.ProviderConnection("clearsky", urls={"api": sandbox.provider_url("clearsky")}, authcfg=authcfg)
    )
    adapter = adapter_for("clearsky", settings)
    try:
        assert isinstance(adapter, SupportsGrid)
        assert adapter.imagery_models()[0].name
        sent = sandbox.requests("/clearsky/api/tasking/models")[-1]["headers"]
        assert sent["x-api-key"] == "clearsky-sandbox-key" and sent["user-agent"].startswith("Nadir/")
    finally:
        adapter.close()


def test_adapter_for_explains_missing_or_disabled_connections(auth_manager, clean_settings):
    with pytest.raises(InputError, match="No credentials are set for ClearSKY Vision"):
        adapter_for("clearsky", st.Settings())
    disabled = st.Settings().with_connection(st.ProviderConnection("oneatlas", enabled=False, authcfg="x"))
    with pytest.raises(InputError, match="switched off"):
        adapter_for("oneatlas", disabled)
    with pytest.raises(InputError, match="Unknown provider"):
        adapter_for("planet", st.Settings())
