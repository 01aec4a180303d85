"""Static facts about the four providers: titles, URL roles and their documented
defaults, credential hints, currencies. Standard library only, so the options page
and the stand-in can use it; the adapters themselves live in ``providers/``.

The defaults are each provider's documented production hosts, and the credential hints follow
how each one authenticates: ClearSKY takes its API key in an ``x-api-key`` header, OneAtlas
exchanges its API key for a token, UP42 an account e-mail and password, and Geopera either
those or a ``gpra_`` API key.
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class UrlRole:
    key: str
    label: str
    default: str


@dataclass(frozen=True)
class ProviderInfo:
    id: str
    title: str
    url_roles: tuple[UrlRole, ...]
    credential_hint: str
    currency: str
    #: its deliveries can be read remotely (COGs over HTTP GET with ranges); False when
    #: each image is made on request by a POST (ClearSKY's retrieval,
    #: ``POST /api/satelliteimages/process/...``, answers with the GeoTIFF)
    #: and QGIS cannot read it without downloading it
    streams: bool = True

    def default_url(self, role: str) -> str:
        for url_role in self.url_roles:
            if url_role.key == role:
                return url_role.default
        raise KeyError(role)


PROVIDERS: dict[str, ProviderInfo] = {
    info.id: info
    for info in (
        ProviderInfo(
            "clearsky",
            "ClearSKY Vision",
            (UrlRole("api", QT_TRANSLATE_NOOP("Nadir", "API"), "https://api.clearsky.vision"),),
            QT_TRANSLATE_NOOP("Nadir", "Basic configuration: the API key as password (user name unused)."),
            "EUR",
            streams=False,
        ),
        ProviderInfo(
            "up42",
            "UP42",
            (
                UrlRole("api", QT_TRANSLATE_NOOP("Nadir", "API"), "https://api.up42.com"),
                UrlRole("auth", QT_TRANSLATE_NOOP("Nadir", "Token server"), "https://auth.up42.com"),
            ),
            QT_TRANSLATE_NOOP("Nadir", "Basic configuration: your UP42 account e-mail and password."),
            "credits",
        ),
        ProviderInfo(
            "geopera",
            "Geopera",
            (UrlRole("api", QT_TRANSLATE_NOOP("Nadir", "API"), "https://api.geopera.com"),),
            QT_TRANSLATE_NOOP(
                "Nadir",
                "Basic configuration: your Geopera account e-mail and password (needed to "
                "place orders), or a gpra_ API key as password (search, prices and orders only).",
            ),
            "AUD",
        ),
        ProviderInfo(
            "oneatlas",
            "Airbus OneAtlas",
            (
                UrlRole("data", QT_TRANSLATE_NOOP("Nadir", "Data API"), "https://data.api.oneatlas.airbus.com"),
                UrlRole(
                    "auth",
                    QT_TRANSLATE_NOOP("Nadir", "Token server"),
                    "https://authenticate.foundation.api.oneatlas.airbus.com",
                ),
                UrlRole(
                    "search",
                    QT_TRANSLATE_NOOP("Nadir", "Search API"),
                    "https://search.foundation.api.oneatlas.airbus.com",
                ),
                UrlRole(
                    "access",
                    QT_TRANSLATE_NOOP("Nadir", "Access API"),
                    "https://access.foundation.api.oneatlas.airbus.com",
                ),
            ),
            QT_TRANSLATE_NOOP("Nadir", "Basic configuration: the OneAtlas API key as password (user name unused)."),
            "EUR",
        ),
    )
}
