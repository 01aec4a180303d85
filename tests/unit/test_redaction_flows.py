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
from nadir.providers.clearsky import ClearSky
from nadir.providers.http import plain_client

SMALL = {"type": "Polygon", "coordinates": [[[9.90, 56.40], [9.93, 56.40], [9.93, 56.42], [9.90, 56.42], [9.90, 56.40]]]}
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
    adapter = ClearSky({"api": sb.provider_url("clearsky")}, Credentials(secret=key), plain_client(), policy=FAST,
                       sleep=lambda s: None)
    spec = ClearSkySpec(model="Stratus2", constellations=("Sentinel2",), start=date(2024, 1, 1),
                        end=date(2024, 1, 10), frequency_days=7, api_requests=1, aoi=SMALL)
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
    wrong = ClearSky({"api": sb.provider_url("clearsky")}, Credentials(secret="clearsky-wrong-key-123"),
                     plain_client(), policy=FAST)
    with pytest.raises(errors.ProviderAuthError) as info:
        wrong.account()
    texts += [str(info.value), repr(info.value), info.value.details]
    wrong.close()
    assert_clean(debug_log, texts, [key, "clearsky-wrong-key-123"])
