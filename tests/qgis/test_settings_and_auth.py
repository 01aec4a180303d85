"""Typed settings round trip; credentials only in the QGIS auth database."""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsSettings

from nadir.core.errors import InputError
from nadir.toolbelt import auth
from nadir.toolbelt import settings as st


def test_settings_round_trip_keeps_types(clean_settings):
    value = st.Settings(poll_interval_s=42, download_folder="/tmp/dl", log_level="DEBUG", grid_max_scale=250000.0)
    value = value.with_connection(
        st.ProviderConnection("up42", enabled=False, urls={"api": "http://x"}, authcfg="abc1234")
    )
    st.save(value)
    loaded = st.load()
    assert loaded.poll_interval_s == 42 and isinstance(loaded.poll_interval_s, int)
    assert loaded.grid_max_scale == 250000.0
    up42 = loaded.connection("up42")
    assert up42.enabled is False and up42.urls == {"api": "http://x"} and up42.authcfg == "abc1234"
    assert loaded.connection("clearsky").enabled is True


def test_untyped_false_string_reads_as_false(clean_settings):
    QgsSettings().setValue("Nadir/connections/geopera/enabled", "false")
    assert st.load().connection("geopera").enabled is False


def test_store_notifies_listeners(clean_settings):
    store = st.SettingsStore()
    seen = []
    store.on_change(seen.append)
    store.update(st.Settings(poll_interval_s=15))
    assert seen and seen[0].poll_interval_s == 15 and st.load().poll_interval_s == 15


def test_credential_round_trip_and_secret_in_no_settings_file(auth_manager, clean_settings):
    secret = "cs-secret-value-7f3a9c"
    authcfg = auth.store_basic("Nadir test ClearSKY", "", secret)
    settings = st.Settings().with_connection(st.ProviderConnection("clearsky", authcfg=authcfg))
    st.save(settings)
    credentials = auth.resolve(st.load().connection("clearsky").authcfg, "ClearSKY Vision")
    assert credentials.secret == secret and secret not in repr(credentials)
    QgsSettings().sync()
    profile = Path(QgsApplication.qgisSettingsDirPath())
    texts = [p for p in profile.parent.parent.rglob("*") if p.is_file() and p.suffix in (".ini", ".conf", ".xml", "")]
    assert texts, "no settings files found to search"
    for path in texts:
        data = path.read_bytes()
        assert secret.encode() not in data, f"secret found in {path}"
    ini = Path(QgsSettings().fileName()).read_text(encoding="utf-8", errors="replace")
    assert authcfg in ini  # only the reference is stored


def test_missing_or_unknown_authcfg_says_how_to_fix(auth_manager):
    with pytest.raises(InputError, match="Options > Nadir"):
        auth.resolve("", "UP42")
    with pytest.raises(InputError, match="cannot be read"):
        auth.resolve("zzzzzzz", "UP42")
