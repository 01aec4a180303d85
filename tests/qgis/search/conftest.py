"""Fixtures of the search tier: the archive providers' connections on the sandbox."""

from __future__ import annotations

import pytest

from nadir.toolbelt.settings import ProviderConnection, SettingsStore
from support.adapters import geopera_user, up42_user


@pytest.fixture
def archive_connections(sb, auth_manager, clean_settings):
    """Geopera, OneAtlas and UP42 pointing at the sandbox, credentials in the auth database."""
    from nadir.toolbelt.auth import store_basic

    info = sb.health()["providers"]["oneatlas"]
    keys = info.get("api_keys") or info.get("apikeys") or {}
    oneatlas_key = keys.get("default") if isinstance(keys, dict) else keys[0]
    up42 = up42_user(sb)
    configs = {
        "geopera": (store_basic("Nadir test Geopera", *geopera_user(sb)), {"api": sb.provider_url("geopera")}),
        "up42": (
            store_basic("Nadir test UP42", up42["username"], up42["password"]),
            {"api": sb.provider_url("up42"), "auth": sb.provider_url("up42-auth")},
        ),
        "oneatlas": (
            store_basic("Nadir test OneAtlas", "", oneatlas_key),
            {role: sb.provider_url(f"oneatlas-{role}") for role in ("data", "auth", "search", "access")},
        ),
    }
    store = SettingsStore()
    settings = store.current
    for provider, (authcfg, urls) in configs.items():
        settings = settings.with_connection(ProviderConnection(provider, urls=urls, authcfg=authcfg))
    store.update(settings)
    yield store
    for authcfg, _ in configs.values():
        auth_manager.removeAuthenticationConfig(authcfg)
