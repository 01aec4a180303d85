"""A full provider flow at DEBUG, with httpx's and httpcore's loggers on, leaves no
credential, token or secret in any log line or exception text. Captured raw (no
redaction filter installed), so the adapters themselves must never log secrets."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from nadir.core import errors
from nadir.core.credentials import Credentials
from nadir.core.models import ClearSkySpec, OrderFilter
from nadir.core.retry import RetryPolicy
from nadir.providers.clearsky.adapter import ClearSky
from nadir.providers.http.session import plain_client

SMALL = {
    "type": "Polygon",
    "coordinates": [[[9.90, 56.40], [9.93, 56.40], [9.93, 56.42], [9.90, 56.42], [9.90, 56.40]]],
}
FAST = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.02)


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}")


@pytest.fixture
def debug_log():
    handler = Capture()
    names = ("nadir", "httpx", "httpcore")
    saved = [(logging.getLogger(n), logging.getLogger(n).level) for n in names]
    for logger, _ in saved:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler.lines
    for logger, level in saved:
        logger.removeHandler(handler)
        logger.setLevel(level)


def assert_clean(lines: list[str], texts: list[str], secrets: list[str]) -> None:
    assert any(line.startswith("httpcore") for line in lines) and any(line.startswith("httpx") for line in lines)
    assert any(line.startswith("nadir.providers") for line in lines)
    everything = "\n".join(lines + texts)
    for secret in secrets:
        assert secret not in everything, f"a secret leaked: {secret[:4]}..."


def test_clearsky_flow_logs_no_api_key(sb, debug_log, tmp_path):
    key = "clearsky-sandbox-key"
    adapter = ClearSky(
        {"api": sb.provider_url("clearsky")}, Credentials(secret=key), plain_client(), policy=FAST, sleep=lambda s: None
    )
    spec = ClearSkySpec(
        model="Stratus2",
        constellations=("Sentinel2",),
        start=date(2024, 1, 1),
        end=date(2024, 1, 10),
        frequency_days=7,
        api_requests=1,
        aoi=SMALL,
    )
    adapter.account()
    adapter.imagery_models()
    adapter.tiles(SMALL)
    adapter.estimate(spec)
    order = adapter.place(spec, "ref-redaction").orders[0]
    list(adapter.list_orders(OrderFilter(include_expired=True)))
    sb.advance(3000)
    asset = adapter.assets(order.id)[0]
    adapter.download(asset, tmp_path / "x.tif")
    texts = []
    sb.fault(kind="status", prefix="/clearsky/api/tasking/models", status=503, times=5)
    for call in (adapter.imagery_models, lambda: adapter.get_order("0b5b1d9e-0000-4000-8000-000000000000")):
        try:
            call()
        except errors.NadirError as exc:
            texts += [str(exc), repr(exc), exc.details]
    adapter.close()
    wrong = ClearSky(
        {"api": sb.provider_url("clearsky")}, Credentials(secret="clearsky-wrong-key-123"), plain_client(), policy=FAST
    )
    with pytest.raises(errors.ProviderAuthError) as info:
        wrong.account()
    texts += [str(info.value), repr(info.value), info.value.details]
    wrong.close()
    assert_clean(debug_log, texts, [key, "clearsky-wrong-key-123"])


def test_oneatlas_flow_logs_no_api_key_or_token(sb, debug_log, tmp_path):
    from datetime import datetime, timezone

    from shapely.geometry import box, shape

    from nadir.core.models import ArchiveSpec, CaptureRef, SearchQuery
    from nadir.providers.http.auth import _cache, clear_token_cache
    from nadir.providers.oneatlas.adapter import OneAtlas

    clear_token_cache()
    key = "oneatlas-sandbox-key"
    urls = {role: sb.provider_url(f"oneatlas-{role}") for role in ("data", "auth", "search", "access")}
    adapter = OneAtlas(urls, Credentials(secret=key), plain_client(), policy=FAST, sleep=lambda s: None)
    adapter.account()
    query = SearchQuery(
        geometry=SMALL,
        start=datetime(2024, 1, 1, tzinfo=timezone.utc),
        end=datetime(2024, 12, 1, tzinfo=timezone.utc),
        limit=3,
    )
    captures = list(adapter.search(query))
    adapter.quicklook(captures[0])
    point = shape(captures[0].footprint).representative_point()
    aoi = box(point.x - 0.005, point.y - 0.005, point.x + 0.005, point.y + 0.005).__geo_interface__
    neo = captures[0].collection == "PNEO"
    spec = ArchiveSpec(
        provider="oneatlas",
        captures=(CaptureRef(id=captures[0].id, geometry=aoi, collection=captures[0].collection),),
        options={"productType": "pansharpened-fs" if neo else "pansharpened"},
    )
    adapter.estimate(spec)
    order = adapter.place(spec, "ref-redaction-oa").orders[0]
    sb.advance(24 * 3600)
    for asset in adapter.assets(order.id):
        adapter.download(asset, tmp_path / "p.zip")
    sb.fault(kind="status", prefix="/oneatlas-data/api/v1/me", status=401, times=1)
    adapter.account()  # token renewed after a 401
    tokens = [t.access for t in _cache.values()]
    texts = []
    try:
        adapter.get_order("0b5b1d9e-0000-4000-8000-000000000000")
    except errors.NadirError as exc:
        texts += [str(exc), repr(exc), exc.details]
    adapter.close()
    clear_token_cache()
    assert tokens
    assert_clean(debug_log, texts, [key, *tokens])
