"""Adapters for the configured provider connections (what presenters call).

:func:`adapter_for` runs on the GUI thread: it resolves the connection's ``authcfg``
(the auth manager may ask for the master password), builds the HTTP client from QGIS's
network settings and asks the registry for the adapter. The adapter is then handed to
a task; it owns the client and closes it in ``close()``.
"""

from __future__ import annotations

from ..core.errors import InputError
from ..core.ports import Provider
from ..core.provider_info import PROVIDERS
from ..providers import registry
from . import auth
from .http import make_client
from .settings import Settings, load


def connection_urls(provider_id: str, settings: Settings) -> dict[str, str]:
    info = PROVIDERS[provider_id]
    connection = settings.connection(provider_id)
    return {role.key: connection.url(role.key, role.default) for role in info.url_roles}


def adapter_for(provider_id: str, settings: Settings | None = None) -> Provider:
    """A ready adapter for the provider's configured connection. GUI thread only."""
    if provider_id not in PROVIDERS:
        raise InputError(f"Unknown provider {provider_id!r}.")
    settings = settings or load()
    info = PROVIDERS[provider_id]
    connection = settings.connection(provider_id)
    if not connection.enabled:
        raise InputError(f"The {info.title} connection is switched off. Enable it in Settings > Options > Nadir.")
    credentials = auth.resolve(connection.authcfg, info.title)
    client = make_client()
    try:
        return registry.create(provider_id, connection_urls(provider_id, settings), credentials, client)
    except BaseException:
        client.close()
        raise
