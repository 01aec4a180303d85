"""Delivered orders in a running sandbox, placed with Nadir's real adapters, for the
delivery tests (unit tier: files; qgis tier: layers; e2e: the map)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from nadir.core.credentials import Credentials
from nadir.core.models import ArchiveSpec, CaptureRef, ClearSkySpec, Lifecycle, SearchQuery
from nadir.core.retry import RetryPolicy
from nadir.providers.http.auth import clear_token_cache
from nadir.providers.http.session import plain_client

from .adapters import BERLIN, geopera, up42

FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=5.0)
CLEARSKY_KEY = "clearsky-sandbox-key"
#: about 2 x 2 km in Denmark (ClearSKY), the Sydney AOI of the Geopera tests
AARHUS = {
    "type": "Polygon",
    "coordinates": [[[9.90, 56.40], [9.93, 56.40], [9.93, 56.42], [9.90, 56.42], [9.90, 56.40]]],
}
#: about 10 x 9 km: ClearSKY composites of several MiB, downloaded in several chunks
AARHUS_WIDE = {
    "type": "Polygon",
    "coordinates": [[[9.85, 56.35], [10.01, 56.35], [10.01, 56.43], [9.85, 56.43], [9.85, 56.35]]],
}
SYDNEY = {
    "type": "Polygon",
    "coordinates": [[[151.15, -33.92], [151.25, -33.92], [151.25, -33.84], [151.15, -33.84], [151.15, -33.92]]],
}
PROVIDERS = ("clearsky", "oneatlas", "geopera", "up42")


def oneatlas_key(sb: Any) -> str:
    info = sb.health()["providers"]["oneatlas"]
    keys = info.get("api_keys") or info.get("apikeys") or {}
    return str(keys.get("default") if isinstance(keys, dict) else keys[0])


def oneatlas_urls(sb: Any) -> dict[str, str]:
    return {role: sb.provider_url(f"oneatlas-{role}") for role in ("data", "auth", "search", "access")}


def clearsky(sb: Any, key: str = CLEARSKY_KEY) -> Any:
    from nadir.providers.clearsky.adapter import ClearSky

    return ClearSky({"api": sb.provider_url("clearsky")}, Credentials(secret=key), plain_client(), policy=FAST)


def oneatlas(sb: Any) -> Any:
    from nadir.providers.oneatlas.adapter import OneAtlas

    clear_token_cache()
    return OneAtlas(oneatlas_urls(sb), Credentials(secret=oneatlas_key(sb)), plain_client(), policy=FAST)


def adapter(sb: Any, provider: str) -> Any:
    if provider == "clearsky":
        return clearsky(sb)
    if provider == "oneatlas":
        return oneatlas(sb)
    if provider == "geopera":
        return geopera(sb)
    return up42(sb)


def _window() -> dict[str, Any]:
    return {"start": datetime(2020, 1, 1, tzinfo=timezone.utc), "end": datetime(2026, 1, 1, tzinfo=timezone.utc)}


def _inside(footprint: dict[str, Any], size: float = 0.01) -> dict[str, Any]:
    from shapely.geometry import box, shape

    point = shape(footprint).representative_point()
    return box(point.x - size / 2, point.y - size / 2, point.x + size / 2, point.y + size / 2).__geo_interface__


def place(sb: Any, provider: str, client: Any, reference: str = "ref-delivery", **options: Any) -> str:
    """Place a small order with ``client`` (the provider's adapter); return its id."""
    if provider == "clearsky":
        spec = ClearSkySpec(
            model="Stratus2",
            constellations=("Sentinel2", "Sentinel1"),
            start=date(2024, 1, 1),
            end=date(2024, 1, 10),
            frequency_days=7,
            api_requests=1,
            aoi=options.get("aoi", AARHUS),
        )
        return str(client.place(spec, reference).orders[0].id)
    if provider == "oneatlas":
        france = {"type": "Polygon", "coordinates": [[[1.0, 43.0], [3.0, 43.0], [3.0, 45.0], [1.0, 45.0], [1.0, 43.0]]]}
        capture = next(
            client.search(SearchQuery(geometry=france, collections=("PHR",), limit=1, page_size=5, **_window()))
        )
        product = {
            "productType": "bundle",
            "radiometricProcessing": "DISPLAY",
            "imageFormat": "image/jp2",
            "crsCode": "EPSG:4326",
            **options,
        }
        spec = ArchiveSpec(
            provider="oneatlas",
            captures=(
                CaptureRef(id=capture.id, geometry=_inside(capture.footprint, 0.02), collection=capture.collection),
            ),
            options=product,
        )
        return str(client.place(spec, reference).orders[0].id)
    aoi = SYDNEY if provider == "geopera" else BERLIN
    capture = next(
        client.search(
            SearchQuery(geometry=aoi, collections=("phr",), host="oneatlas", limit=1, page_size=5, **_window())
        )
    )
    spec = ArchiveSpec(
        provider=provider,
        captures=(
            CaptureRef(
                id=capture.id,
                geometry=aoi,
                collection=capture.collection or "phr",
                host="oneatlas",
                acquired=capture.acquired,
            ),
        ),
        options=options,
    )
    return str(client.place(spec, reference).orders[0].id)


def delivered(sb: Any, provider: str, reference: str = "ref-delivery", **options: Any) -> tuple[Any, str]:
    """(adapter, order id) of an order the sandbox has delivered."""
    client = adapter(sb, provider)
    order_id = place(sb, provider, client, reference, **options)
    sb.advance(2 * 24 * 3600)
    status = client.get_order(order_id).status
    assert status in (Lifecycle.COMPLETED, Lifecycle.LIVE), f"{provider} order {order_id} is {status}"
    return client, order_id
