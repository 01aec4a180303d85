"""One typed settings store.

:class:`Settings` is a frozen dataclass; :func:`load` reads it from QgsSettings under
the plugin's group with explicit types (an untyped bool comes back as the string
``'false'``, which is truthy), :func:`save` writes it back. Provider credentials are
stored by reference only: the ``authcfg`` id of a QGIS authentication configuration.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from qgis.core import QgsSettings

from .identity import identity

PROVIDER_IDS = ("clearsky", "up42", "geopera", "oneatlas")


@dataclass(frozen=True)
class ProviderConnection:
    """Where a provider is and which QGIS auth config holds its credentials.

    ``urls`` maps the provider's URL roles (``api``, ``auth``, ``search``...) to base
    URLs; roles left out use the provider's documented defaults.
    """

    provider: str
    enabled: bool = True
    urls: Mapping[str, str] = field(default_factory=dict)
    authcfg: str = ""

    def url(self, role: str, default: str = "") -> str:
        return (self.urls.get(role) or default).rstrip("/")


@dataclass(frozen=True)
class Settings:
    poll_interval_s: int = 60
    download_folder: str = ""
    log_level: str = "INFO"
    grid_max_scale: float = 1_500_000.0
    connections: tuple[ProviderConnection, ...] = ()

    def connection(self, provider: str) -> ProviderConnection:
        for connection in self.connections:
            if connection.provider == provider:
                return connection
        return ProviderConnection(provider)

    def with_connection(self, connection: ProviderConnection) -> Settings:
        others = tuple(c for c in self.connections if c.provider != connection.provider)
        ordered = sorted((*others, connection), key=lambda c: _provider_order(c.provider))
        return dataclasses.replace(self, connections=tuple(ordered))


def _provider_order(provider: str) -> int:
    return PROVIDER_IDS.index(provider) if provider in PROVIDER_IDS else len(PROVIDER_IDS)


_SCALARS = ("poll_interval_s", "download_folder", "log_level", "grid_max_scale")


def _group() -> str:
    return identity().name


def _read(settings: QgsSettings, key: str, default: Any) -> Any:
    if isinstance(default, bool):
        return settings.value(key, default, type=bool)
    if isinstance(default, int):
        return settings.value(key, default, type=int)
    if isinstance(default, float):
        return settings.value(key, default, type=float)
    return settings.value(key, default, type=str)


def load(qsettings: QgsSettings | None = None) -> Settings:
    qs = qsettings or QgsSettings()
    defaults = Settings()
    qs.beginGroup(_group())
    try:
        values = {name: _read(qs, name, getattr(defaults, name)) for name in _SCALARS}
        connections = []
        for provider in PROVIDER_IDS:
            qs.beginGroup(f"connections/{provider}")
            enabled = qs.value("enabled", True, type=bool)
            authcfg = qs.value("authcfg", "", type=str)
            qs.beginGroup("urls")
            urls = {role: qs.value(role, "", type=str) for role in qs.childKeys()}
            qs.endGroup()
            qs.endGroup()
            urls = {role: url for role, url in urls.items() if url}
            connections.append(ProviderConnection(provider, enabled=enabled, urls=urls, authcfg=authcfg))
    finally:
        qs.endGroup()
    return Settings(**values, connections=tuple(connections))


def save(settings: Settings, qsettings: QgsSettings | None = None) -> None:
    qs = qsettings or QgsSettings()
    qs.beginGroup(_group())
    try:
        for name in _SCALARS:
            qs.setValue(name, getattr(settings, name))
        for connection in settings.connections:
            qs.beginGroup(f"connections/{connection.provider}")
            qs.setValue("enabled", connection.enabled)
            qs.setValue("authcfg", connection.authcfg)
            qs.remove("urls")
            for role, url in connection.urls.items():
                if url:
                    qs.setValue(f"urls/{role}", url)
            qs.endGroup()
    finally:
        qs.endGroup()
    qs.sync()


class SettingsStore:
    """The plugin's live settings: ``current`` plus a ``changed`` callback list.

    Features read ``store.current`` when they need a value and register a callback
    to react to the options page saving.
    """

    def __init__(self, qsettings: QgsSettings | None = None) -> None:
        self._qsettings = qsettings
        self.current = load(qsettings)
        self._listeners: list[Any] = []

    def on_change(self, callback: Any) -> None:
        self._listeners.append(callback)

    def remove_listener(self, callback: Any) -> None:
        if callback in self._listeners:
            self._listeners.remove(callback)

    def update(self, settings: Settings) -> None:
        save(settings, self._qsettings)
        self.current = settings
        for callback in list(self._listeners):
            callback(settings)
