"""Provider registry: build an adapter from plain values.

``FACTORIES`` maps a provider id to ``"<module>:<class>"`` in this package, one line per
provider, imported only when that provider is used. Every adapter class takes
``(urls, credentials, client)``: URL roles of :mod:`core.provider_info` (missing roles
use the documented defaults), a :class:`core.credentials.Credentials` value resolved on
the GUI thread, and the ``httpx.Client`` from the one client factory.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, cast

import httpx

from ..core import ports as base
from ..core.credentials import Credentials
from ..core.errors import NotSupported
from ..core.ports import Provider
from ..core.provider_info import PROVIDERS

FACTORIES: dict[str, str] = {
    "clearsky": "clearsky.adapter:ClearSky",
    "oneatlas": "oneatlas.adapter:OneAtlas",
    "up42": "up42.adapter:Up42",
    "geopera": "geopera.adapter:Geopera",
}

#: Capability protocols, in the order the UI lists them.
CAPABILITIES: tuple[type[Any], ...] = (
    base.SupportsGrid,
    base.SupportsImageryModels,
    base.SupportsEstimate,
    base.SupportsPlace,
    base.SupportsArchiveSearch,
    base.SupportsTasking,
    base.SupportsOrders,
    base.SupportsDeliveries,
)


def adapter_class(provider_id: str) -> type[Any]:
    try:
        module_name, _, class_name = FACTORIES[provider_id].partition(":")
    except KeyError:
        known = ", ".join(sorted(FACTORIES))
        raise NotSupported(f"Nadir has no adapter for provider {provider_id!r} (known: {known}).") from None
    module = importlib.import_module(f"{__package__}.{module_name}")
    return cast("type[Any]", getattr(module, class_name))


def resolve_urls(provider_id: str, urls: Mapping[str, str]) -> dict[str, str]:
    """Every URL role of the provider: the configured one, else the documented default."""
    info = PROVIDERS.get(provider_id)
    roles = {role.key: role.default for role in info.url_roles} if info else {}
    roles.update({role: url for role, url in urls.items() if url})
    return {role: url.rstrip("/") for role, url in roles.items()}


def create(provider_id: str, urls: Mapping[str, str], credentials: Credentials, client: httpx.Client) -> Provider:
    """A ready adapter for ``provider_id``; no network call is made here."""
    cls = adapter_class(provider_id)
    return cast(Provider, cls(resolve_urls(provider_id, urls), credentials, client))


def _members(protocol: type[Any]) -> list[str]:
    return [name for name in vars(protocol) if not name.startswith("_")]


def capabilities(provider_id: str) -> tuple[str, ...]:
    """Names of the capability protocols the provider's adapter implements."""
    cls = adapter_class(provider_id)
    return tuple(
        proto.__name__ for proto in CAPABILITIES if all(callable(getattr(cls, m, None)) for m in _members(proto))
    )


def supports(provider_id: str, protocol: type[Any]) -> bool:
    return protocol.__name__ in capabilities(provider_id)
