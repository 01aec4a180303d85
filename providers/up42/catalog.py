"""UP42 catalog (archive search, quicklooks) and deliveries, over the adapter's session.

Search: ``POST {api}/catalog/hosts/{host}/stac/search`` with a STAC item-search body;
the next page is the **same body** re-POSTed to ``links[rel=next].href``.

Deliveries: the UP42 API pages and SDK fixtures Nadir was written from do not describe them.
Nadir follows the SDK's asset model (up42-py ``up42/asset.py``, ``up42/stac.py``) as the
sandbox serves it: the order's items in the workspace STAC catalog
(``POST {api}/v2/assets/stac/search`` with a CQL2 filter on ``order_id``, STAC
``links[rel=next]`` paging with ``merge``), each asset fetched through a short-lived signed
link from ``POST {href}/download-url``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote, urlsplit

from ...core import errors
from ...core.models import Asset, Capture, SearchQuery
from ...core.ports import Cancelled, Progress, never_cancelled
from ..http.session import HttpSession
from ..stac import paged, search_body, stac_assets
from ..wire import as_datetime, as_float, is_geometry, next_link, pick
from .models import PROVIDER


def incidence_of(properties: Mapping[str, Any]) -> Optional[float]:
    provider_properties = properties.get("providerProperties")
    value = properties.get("incidenceAngle")
    if value is None and isinstance(provider_properties, Mapping):
        value = provider_properties.get("incidenceAngle")
    return as_float(value)


def capture_from_feature(feature: Mapping[str, Any], host: str, quicklook_base: str) -> Optional[Capture]:
    """A catalog feature as a :class:`Capture`; None when it has no id or geometry."""
    properties = feature.get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    capture_id = pick(properties, "id", "sceneId") or feature.get("id")
    geometry = feature.get("geometry")
    if not isinstance(capture_id, str) or not is_geometry(geometry):
        return None
    return Capture(
        provider=PROVIDER,
        id=capture_id,
        collection=str(properties.get("collection") or ""),
        constellation=str(properties.get("constellation") or ""),
        acquired=as_datetime(pick(properties, "datetime", "acquisitionDate", "start_datetime")),
        footprint=dict(geometry),
        cloud_cover=as_float(properties.get("cloudCoverage")),
        incidence_angle=incidence_of(properties),
        gsd=as_float(properties.get("resolution")),
        quicklook_url=f"{quicklook_base}/catalog/{host}/image/{capture_id}/quicklook",
        host=host,
        properties=dict(properties),
    )


def parse_search_page(data: Any, host: str, quicklook_base: str, endpoint: str) -> tuple[list[Capture], Optional[str]]:
    """Captures of one catalog page and the ``links[rel=next].href`` to re-POST to, if any."""
    if not isinstance(data, Mapping) or not isinstance(data.get("features", []), list):
        raise errors.InvalidResponse(
            "UP42 sent a catalog page Nadir cannot read: it is not a GeoJSON FeatureCollection.",
            provider=PROVIDER,
            endpoint=endpoint,
        )
    captures = []
    for feature in data.get("features") or []:
        capture = capture_from_feature(feature, host, quicklook_base) if isinstance(feature, Mapping) else None
        if capture is not None:
            captures.append(capture)
    link = next_link(data.get("links"))
    href = link.get("href") if link else None
    return captures, href if isinstance(href, str) and href else None


def search(session: HttpSession, api: str, query: SearchQuery, cancelled: Cancelled) -> Iterator[Capture]:
    if not query.host:
        raise errors.InputError("Choose a UP42 catalog host (e.g. oneatlas) to search its archive.")
    host = query.host
    endpoint = "catalog.search"
    first = f"{api}/catalog/hosts/{quote(host, safe='')}/stac/search"
    body = search_body(query, min(query.page_size, query.limit or query.page_size))

    def fetch(url: Optional[str]) -> tuple[list[Capture], Optional[str]]:
        raw = session.json("POST", url or first, endpoint=endpoint, json=body, cancelled=cancelled)
        return parse_search_page(raw, host, api, endpoint)

    return paged(fetch, query, cancelled)


def quicklook(session: HttpSession, api: str, capture: Capture) -> bytes:
    url = capture.quicklook_url or (
        f"{api}/catalog/{quote(capture.host or '', safe='')}/image/{quote(capture.id, safe='')}/quicklook"
    )
    return session.request("GET", url, endpoint="catalog.quicklook").content


def assets(session: HttpSession, api: str, order_id: str) -> list[Asset]:
    endpoint = "assets.stac.search"
    url = f"{api}/v2/assets/stac/search"
    body: dict[str, Any] = {"filter": {"op": "=", "args": [{"property": "order_id"}, order_id]}, "limit": 100}
    features: list[Any] = []
    for _ in range(1000):  # a bound against a server that keeps sending the same next link
        raw = session.json("POST", url, endpoint=endpoint, json=body)
        if not isinstance(raw, Mapping) or not isinstance(raw.get("features", []), list):
            raise session.invalid(endpoint, 200, "an asset list that is not a STAC FeatureCollection")
        features += raw.get("features") or []
        link = next_link(raw.get("links"))
        if link is None or not raw.get("features"):
            break
        link_body = link.get("body") if isinstance(link.get("body"), Mapping) else None
        if link_body is not None:
            body = {**body, **link_body} if link.get("merge") else dict(link_body)
        url = str(link.get("href") or url)
    return stac_assets(
        features, PROVIDER, order_id, needs_auth=lambda href: True, streamable=lambda href, media_type: False
    )


def download(
    session: HttpSession,
    asset: Asset,
    destination: Path,
    progress: Optional[Progress] = None,
    cancelled: Cancelled = never_cancelled,
) -> Path:
    """Through a fresh signed link (no token; Range resumes a ``.part``) for a UP42 asset
    (``.../assets/{id}``); any other href directly."""
    href = asset.href
    if urlsplit(href).path.rstrip("/").rsplit("/", 2)[-2:-1] == ["assets"]:
        endpoint = "assets.download-url"
        raw = session.json("POST", href.rstrip("/") + "/download-url", endpoint=endpoint, cancelled=cancelled)
        if not isinstance(raw, Mapping) or not isinstance(raw.get("url"), str):
            raise session.invalid(endpoint, 200, "no download link")
        href, authenticate = raw["url"], False
    else:
        authenticate = asset.needs_auth
    return session.download(
        href,
        destination,
        endpoint="assets.download",
        progress=progress,
        cancelled=cancelled,
        expected_size=asset.size,
        checksum=asset.checksum,
        authenticate=authenticate,
    )
