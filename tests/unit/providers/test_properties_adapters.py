"""Property-based tests of every adapter's response parsing (issue 15).

Each provider's adapter runs a scenario (account, search, estimate, place, get, list,
assets) once against the sandbox while every HTTP exchange is recorded. Hypothesis then
replays the recording to the same adapter code through ``httpx.MockTransport`` with one
answer changed: a JSON node replaced by a hostile or generated value, deleted, turned
into a string, wrapped, emptied or repeated (numbers as strings are how OneAtlas answers
in the wild), or the whole body cut short, garbled, nested 100,000 deep or replaced by
an HTML error page (the sandbox's ``truncate``/``malformed`` faults, and more). Only
Nadir's own errors may escape. The adapters' parse functions are also called directly
with the recorded bodies, mutated, and with any JSON.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

import httpx
import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

from nadir.core.credentials import Credentials
from nadir.core.errors import NadirError
from nadir.core.models import ArchiveSpec, CaptureRef, ClearSkySpec, OrderFilter, SearchQuery
from nadir.core.retry import RetryPolicy
from nadir.providers import stac
from nadir.providers.clearsky import wire as clearsky_wire
from nadir.providers.geopera import models as geopera_models
from nadir.providers.http.auth import clear_token_cache
from nadir.providers.oneatlas import wire as oneatlas_wire
from nadir.providers.up42 import catalog as up42_catalog
from nadir.providers.up42 import models as up42_models
from support.adapters import BERLIN, geopera_user, up42_user
from support.deliveries import AARHUS, CLEARSKY_KEY, SYDNEY, oneatlas_key, oneatlas_urls
from support.properties import damaged_text, dumps, examples, json_values, mutated

PROVIDERS = ("clearsky", "oneatlas", "geopera", "up42")
NO_WAIT = RetryPolicy(max_attempts=2, base_delay=0.0, max_delay=0.0, max_retry_after=0.0)
#: Requests one replay may make: a mutated page counter must not page forever.
MAX_REQUESTS = 60
WINDOW = {"start": datetime(2020, 1, 1, tzinfo=timezone.utc), "end": datetime(2026, 1, 1, tzinfo=timezone.utc)}
FRANCE = {"type": "Polygon", "coordinates": [[[1.0, 43.0], [3.0, 43.0], [3.0, 45.0], [1.0, 45.0], [1.0, 43.0]]]}


@dataclass
class Exchange:
    method: str
    path: str
    status: int
    headers: list[tuple[str, str]]
    content: bytes

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.path

    @property
    def is_json(self) -> bool:
        kind = dict((k.lower(), v) for k, v in self.headers).get("content-type", "")
        return "json" in kind and bool(self.content.strip())

    def response(self, request: httpx.Request, content: bytes | None = None) -> httpx.Response:
        return httpx.Response(
            self.status, headers=self.headers, content=self.content if content is None else content, request=request
        )


class Recorder(httpx.BaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.log: list[Exchange] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        try:
            content = response.read()
        finally:
            response.close()
        headers = [
            (k, v)
            for k, v in response.headers.items()
            if k.lower() not in ("content-length", "content-encoding", "transfer-encoding")
        ]
        exchange = Exchange(request.method, request.url.path, response.status_code, headers, content)
        self.log.append(exchange)
        return exchange.response(request)


@dataclass
class Replay:
    """Serves a recording again, each (method, path) in recorded order, the last answer
    repeated; the exchange ``target`` (index into the log) is served as ``replacement``."""

    log: list[Exchange]
    target: int = -1
    replacement: bytes = b""
    served: int = 0
    cursors: dict[tuple[str, str], int] = field(default_factory=dict)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.served += 1
        if self.served > MAX_REQUESTS:
            return httpx.Response(400, json={"message": "replay: too many requests"}, request=request)
        key = (request.method, request.url.path)
        indexes = [i for i, e in enumerate(self.log) if e.key == key]
        if not indexes:
            return httpx.Response(404, json={"message": "replay: not recorded"}, request=request)
        position = self.cursors.get(key, 0)
        self.cursors[key] = position + 1
        index = indexes[min(position, len(indexes) - 1)]
        exchange = self.log[index]
        return exchange.response(request, self.replacement if index == self.target else None)


# ------------------------------------------------------------------------------ scenarios
def make_adapter(provider: str, sb: Any, transport: httpx.BaseTransport) -> Any:
    client = httpx.Client(transport=transport, follow_redirects=False, timeout=5.0)
    clear_token_cache()
    if provider == "clearsky":
        from nadir.providers.clearsky.adapter import ClearSky

        return ClearSky(
            {"api": sb["clearsky"]}, Credentials(secret=CLEARSKY_KEY), client, policy=NO_WAIT, sleep=lambda s: None
        )
    if provider == "oneatlas":
        from nadir.providers.oneatlas.adapter import OneAtlas

        return OneAtlas(
            sb["oneatlas"], Credentials(secret=sb["oneatlas-key"]), client, policy=NO_WAIT, sleep=lambda s: None
        )
    if provider == "geopera":
        from nadir.providers.geopera.adapter import Geopera

        # the account's e-mail and password: an API key cannot place archive orders (seed 003)
        return Geopera(
            {"api": sb["geopera"]}, Credentials(*sb["geopera-user"]), client, policy=NO_WAIT, sleep=lambda s: None
        )
    from nadir.providers.up42.adapter import Up42

    return Up42(
        {"api": sb["up42"], "auth": sb["up42-auth"]},
        Credentials(*sb["up42-user"]),
        client,
        policy=NO_WAIT,
        sleep=lambda s: None,
    )


def first(iterator: Any) -> Any:
    return next(itertools.islice(iterator, 1), None)


def place_part(provider: str, adapter: Any) -> str | None:
    """Account, search, estimate and place; the placed order's id (None if nothing to order)."""
    adapter.account()
    if provider == "clearsky":
        spec: Any = ClearSkySpec(
            model="Stratus2",
            constellations=("Sentinel2", "Sentinel1"),
            start=date(2024, 1, 1),
            end=date(2024, 1, 10),
            frequency_days=7,
            api_requests=1,
            aoi=AARHUS,
        )
    else:
        aoi = {"oneatlas": FRANCE, "geopera": SYDNEY, "up42": BERLIN}[provider]
        host = None if provider == "oneatlas" else "oneatlas"
        capture = first(
            adapter.search(
                SearchQuery(
                    geometry=aoi,
                    collections=("PHR",) if host is None else ("phr",),
                    host=host,
                    limit=1,
                    page_size=5,
                    **WINDOW,
                )
            )
        )
        if capture is None:
            return None
        options = (
            {
                "productType": "bundle",
                "radiometricProcessing": "DISPLAY",
                "imageFormat": "image/jp2",
                "crsCode": "EPSG:4326",
            }
            if provider == "oneatlas"
            else {}
        )
        from shapely.geometry import box, shape

        point = shape(capture.footprint).representative_point()
        inside = box(point.x - 0.01, point.y - 0.01, point.x + 0.01, point.y + 0.01).__geo_interface__
        spec = ArchiveSpec(
            provider=provider,
            captures=(
                CaptureRef(
                    id=capture.id,
                    geometry=inside if provider == "oneatlas" else aoi,
                    collection=capture.collection or "phr",
                    host=host,
                    acquired=capture.acquired,
                ),
            ),
            options=options,
        )
    adapter.estimate(spec)
    placed = adapter.place(spec, "ref-properties")
    return str(placed.orders[0].id) if placed.orders else None


def order_part(adapter: Any, order_id: str) -> None:
    adapter.get_order(order_id)
    list(itertools.islice(adapter.list_orders(OrderFilter(page_size=5)), 12))
    adapter.assets(order_id)


class Recordings(dict):  # type: ignore[type-arg]
    def __repr__(self) -> str:  # Hypothesis prints the arguments of a failing example
        return f"<recordings of {', '.join(self)}>"


@pytest.fixture(scope="module")
def recordings(live_sandbox) -> dict[str, tuple[dict[str, Any], list[Exchange]]]:
    """provider -> (sandbox settings, the recorded exchanges of its scenario)."""
    sb = live_sandbox
    sb.reset()
    settings = {
        "clearsky": sb.provider_url("clearsky"),
        "oneatlas": oneatlas_urls(sb),
        "oneatlas-key": oneatlas_key(sb),
        "geopera": sb.provider_url("geopera"),
        "geopera-user": geopera_user(sb),
        "up42": sb.provider_url("up42"),
        "up42-auth": sb.provider_url("up42-auth"),
        "up42-user": (up42_user(sb)["username"], up42_user(sb)["password"]),
    }
    found = Recordings()
    for provider in PROVIDERS:
        recorder = Recorder()
        adapter = make_adapter(provider, settings, recorder)
        order_id = place_part(provider, adapter)
        assert order_id, f"{provider}: the sandbox scenario placed no order"
        sb.advance(2 * 24 * 3600)
        order_part(adapter, order_id)
        adapter.close()
        found[provider] = (settings, recorder.log)
    clear_token_cache()
    return found


def replay(provider: str, recordings: Any, target: int = -1, replacement: bytes = b"") -> Replay:
    settings, log = recordings[provider]
    transport = Replay(log, target, replacement)
    adapter = make_adapter(provider, settings, httpx.MockTransport(transport))
    try:
        order_id = place_part(provider, adapter)
        if order_id:
            order_part(adapter, order_id)
    except NadirError as error:
        assert error.message, repr(error)
    finally:
        adapter.close()
        clear_token_cache()
    return transport


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_unchanged_recording_replays_without_error(recordings, provider):
    settings, log = recordings[provider]
    transport = Replay(log)
    adapter = make_adapter(provider, settings, httpx.MockTransport(transport))
    order_id = place_part(provider, adapter)
    assert order_id
    order_part(adapter, order_id)
    adapter.close()
    assert sum(e.is_json for e in log) >= 6, [e.key for e in log]


@st.composite
def changed_answer(draw: st.DrawFn, log: list[Exchange]) -> tuple[int, bytes]:
    candidates = [i for i, e in enumerate(log) if e.is_json]
    index = draw(st.sampled_from(candidates), label="exchange")
    text = log[index].content.decode("utf-8")
    if "ndjson" in dict((k.lower(), v) for k, v in log[index].headers).get("content-type", ""):
        lines = text.splitlines()
        at = draw(st.integers(0, len(lines) - 1), label="line")
        lines[at] = dumps(draw(mutated(json.loads(lines[at])), label="line value"))
        return index, "\n".join(lines).encode("utf-8")
    if draw(st.integers(0, 4), label="whole body?") == 0:
        return index, draw(damaged_text(text), label="body").encode("utf-8", "surrogatepass")
    return index, dumps(draw(mutated(json.loads(text)), label="value")).encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("provider", PROVIDERS)
@examples(120)
@given(data=st.data())
def test_a_changed_answer_gives_only_nadir_errors(recordings, provider, data):
    log = recordings[provider][1]
    target, replacement = data.draw(changed_answer(log))
    note(f"changed: {log[target].method} {log[target].path}")
    replay(provider, recordings, target, replacement)


# --------------------------------------------------------------------- parse functions
def _mapping(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """For functions typed to take a mapping: anything else is not theirs to handle."""
    return lambda value: function(value) if isinstance(value, Mapping) else None


NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)
PARSERS: dict[str, Callable[[Any], Any]] = {
    "clearsky.imagery_models": clearsky_wire.imagery_models,
    "clearsky.cells": lambda v: clearsky_wire.cells(v, default_level=next(iter(clearsky_wire.CellLevel))),
    "clearsky.estimate": lambda v: clearsky_wire.estimate(v, NOW),
    "clearsky.order": clearsky_wire.order,
    "clearsky.orders": clearsky_wire.orders,
    "oneatlas.estimate": lambda v: oneatlas_wire.estimate(v, NOW),
    "oneatlas.order": oneatlas_wire.order,
    "oneatlas.orders_page": oneatlas_wire.orders_page,
    "oneatlas.capture": oneatlas_wire.capture,
    "oneatlas.assets": lambda v: oneatlas_wire.assets(o, "https://a") if (o := oneatlas_wire.order(v)) else None,
    "geopera.order_from_json": lambda v: geopera_models.order_from_json(v, "x"),
    "geopera.orders_page": lambda v: geopera_models.orders_page(v, "x"),
    "geopera.search_page": lambda v: geopera_models.search_page(v, "oneatlas", "x"),
    "geopera.stream_line_features": geopera_models.stream_line_features,
    "geopera.estimate_from_json": lambda v: geopera_models.estimate_from_json(v, "x"),
    "geopera.assets_from_json": lambda v: geopera_models.assets_from_json(v, "o", "https://a", "x"),
    "geopera.capture_from_feature": _mapping(lambda v: geopera_models.capture_from_feature(v, "oneatlas")),
    "geopera.payment_required": _mapping(lambda v: geopera_models.payment_required(v, "x")),
    "up42.parse_order": lambda v: up42_models.parse_order(v, "x"),
    "up42.parse_page": lambda v: up42_models.parse_page(v, "x"),
    "up42.parse_estimate": lambda v: up42_models.parse_estimate(v, "x"),
    "up42.parse_placement": lambda v: up42_models.parse_placement(v, "x"),
    "up42.parse_study": lambda v: up42_models.parse_study(v, "x"),
    "up42.parse_quotation": lambda v: up42_models.parse_quotation(v, "x"),
    "up42.parse_collections": lambda v: up42_models.parse_collections(v, "x") if isinstance(v, list) else None,
    "up42.parse_search_page": lambda v: up42_catalog.parse_search_page(v, "oneatlas", "https://a", "x"),
    "up42.capture_from_feature": _mapping(lambda v: up42_catalog.capture_from_feature(v, "oneatlas", "https://a")),
    "stac.assets": lambda v: stac.stac_assets(
        v if isinstance(v, list) else [v], "up42", "o", needs_auth=lambda h: True, streamable=lambda h, m: False
    ),
}


def parse_everything(value: Any) -> None:
    for name, parser in PARSERS.items():
        try:
            parser(value)
        except NadirError:
            continue
        except Exception as error:  # reported with the parser's name; Hypothesis prints the value
            raise AssertionError(f"{name} raised {type(error).__name__}: {error}") from error


def bodies(recordings: Any) -> list[Any]:
    """Every JSON value the sandbox answered, and every NDJSON line."""
    found = []
    for _settings, log in recordings.values():
        for exchange in log:
            if not exchange.is_json:
                continue
            for line in exchange.content.decode("utf-8").splitlines() or [""]:
                if line.strip():
                    found.append(json.loads(line))
    # the features, orders and items inside lists are what most parsers take one at a time
    inner = [
        item
        for body in found
        if isinstance(body, Mapping)
        for key in ("features", "content", "items", "data", "orders", "results")
        for item in (body.get(key) if isinstance(body.get(key), list) else [])[:2]
    ]
    return found + inner


def test_the_recorded_bodies_parse_without_error(recordings):
    for value in bodies(recordings):
        parse_everything(value)


@examples(300)
@given(data=st.data())
def test_parse_functions_on_mutated_recorded_bodies(recordings, data):
    seeds = bodies(recordings)
    seed = seeds[data.draw(st.integers(0, len(seeds) - 1), label="seed")]
    parse_everything(loaded(dumps(data.draw(mutated(seed), label="value"))))


@examples(80)
@given(json_values)
def test_parse_functions_on_any_json(value):
    parse_everything(loaded(dumps(value)))


def loaded(text: str) -> Any:
    """What HttpSession.parse_json hands an adapter (too deep or too long a number never
    gets past it: InvalidResponse, tested in test_provider_hostile_bodies)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        assume(False)


# ------------------------------------------------------------------ the sandbox's faults
@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_sandboxs_truncate_and_malformed_faults_on_every_endpoint(recordings, live_sandbox, provider):
    """The same scenario against the live sandbox, with its own ``truncate`` (first half of
    the body) and ``malformed`` (an HTML error page) faults on each endpoint the scenario
    uses in turn: only Nadir's errors."""
    settings, log = recordings[provider]
    endpoints = sorted({(e.method, e.path) for e in log if e.is_json and "/token" not in e.path})
    refused = []
    for number, (method, path) in enumerate(endpoints):
        live_sandbox.clear_faults()
        kind = ("truncate", "malformed")[number % 2]
        live_sandbox.fault(kind=kind, prefix=path, method=method, times=1)
        adapter = make_adapter(provider, settings, httpx.HTTPTransport())
        try:
            order_id = place_part(provider, adapter)
            if order_id:
                order_part(adapter, order_id)
        except NadirError as error:
            assert error.message, repr(error)
            refused.append(path)
        finally:
            adapter.close()
            clear_token_cache()
    live_sandbox.clear_faults()
    assert len(refused) >= len(endpoints) // 2, (refused, endpoints)  # the faults did reach the adapter
