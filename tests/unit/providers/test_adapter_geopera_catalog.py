"""The Geopera adapter against the sandbox: catalog paging with the next token, the NDJSON
stream, quicklooks, delivered STAC assets and resumable downloads, faults, redaction."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import pytest

from nadir.core import errors
from nadir.core.models import ArchiveSpec, CaptureRef, SearchQuery
from support.adapters import BERLIN, capture_all_logs, geopera, geopera_keys

OP = "/geopera/v1/op/"


def query(**overrides) -> SearchQuery:
    values = {
        "geometry": BERLIN,
        "start": datetime(2015, 1, 1, tzinfo=timezone.utc),
        "end": datetime(2025, 1, 1, tzinfo=timezone.utc),
        "host": "oneatlas",
        "collections": ("phr",),
    }
    values.update(overrides)
    return SearchQuery(**values)


def posts(sb, operation):
    return [r for r in sb.requests(OP + operation) if r["method"] == "POST"]


def delivered_order(sb, adapter, reference="ref-assets", count=1):
    found = list(adapter.search(query(limit=count)))
    spec = ArchiveSpec(
        provider="geopera",
        captures=tuple(CaptureRef(id=c.id, geometry=BERLIN, collection=c.collection, host=c.host) for c in found),
    )
    [order] = adapter.place(spec, reference).orders
    sb.advance(61 * 60)
    assert adapter.get_order(order.id).raw_status == "delivered"
    return order, found


# ------------------------------------------------------------------------------ search
def test_search_follows_the_next_token_with_the_same_body(sb):
    adapter = geopera(sb)
    found = list(adapter.search(query(limit=25, page_size=10, max_cloud=40)))
    assert len(found) == 25 and len({c.id for c in found}) == 25
    assert all(c.cloud_cover <= 40 and c.host == "oneatlas" and c.collection == "phr" for c in found)
    bodies = [json.loads(r["body"]) for r in posts(sb, "catalog.search")]
    assert len(bodies) == 3 and "next" not in bodies[0] and bodies[1]["next"] != bodies[2]["next"]
    assert {json.dumps({k: v for k, v in b.items() if k != "next"}, sort_keys=True) for b in bodies} == {
        json.dumps(bodies[0], sort_keys=True)
    }
    assert bodies[0]["host_name"] == "oneatlas" and bodies[0]["query"] == {"cloudCoverage": {"LTE": 40}}


def test_search_stops_promptly_when_cancelled(sb):
    adapter = geopera(sb)
    stop = {"now": False}
    results = adapter.search(query(page_size=5), cancelled=lambda: stop["now"])
    assert len([next(results) for _ in range(5)]) == 5
    stop["now"] = True
    with pytest.raises(errors.OperationCancelled):
        next(results)
    assert len(posts(sb, "catalog.search")) == 1


def test_search_errors(sb):
    adapter = geopera(sb)
    with pytest.raises(errors.InputError, match="host"):
        next(adapter.search(query(host=None)))
    with pytest.raises(errors.ProviderRejected) as info:
        next(adapter.search(query(collections=("no-such-collection",))))
    assert info.value.status in (404, 422)
    with pytest.raises(errors.InputError, match="collection"):  # seed 003: one of collections / ids
        next(adapter.search(query(collections=())))
    assert posts(sb, "catalog.search") and len(posts(sb, "catalog.search")) == 1


def test_ndjson_stream_yields_captures_and_stops(sb):
    adapter = geopera(sb)
    streamed = list(adapter.stream(query(limit=30)))
    assert len(streamed) == 30 and all(c.provider == "geopera" and c.footprint for c in streamed)
    paged = [c.id for c in adapter.search(query(limit=30, page_size=30))]
    assert {c.id for c in streamed} == set(paged)
    everywhere = list(adapter.stream(query(host=None, collections=(), limit=10)))
    assert len(everywhere) == 10 and all(c.host for c in everywhere)
    seen = []
    with pytest.raises(errors.OperationCancelled):
        for capture in adapter.stream(query(limit=500), cancelled=lambda: len(seen) >= 3):
            seen.append(capture)
    assert len(seen) == 3


def test_quicklook(sb):
    adapter = geopera(sb)
    [capture] = list(adapter.search(query(limit=1)))
    assert capture.quicklook_url
    assert adapter.quicklook(capture)[:8] == b"\x89PNG\r\n\x1a\n"


# ------------------------------------------------------------------------------ deliveries
def test_assets_carry_provenance_and_download_resumes(sb, tmp_path):
    adapter = geopera(sb)
    order, found = delivered_order(sb, adapter, count=2)
    assets = adapter.assets(order.id)
    assert len(assets) == 2 and {a.order_id for a in assets} == {order.id}
    assert {a.acquired for a in assets} == {c.acquired for c in found}  # provenance: the capture dates
    asset = assets[0]
    assert asset.product in ("phr",) and asset.acquired is not None and asset.needs_auth
    assert any(link["rel"] for link in asset.extra.get("links", [])) or asset.extra
    whole = adapter.download(asset, tmp_path / "a.tif").read_bytes()
    assert whole[:4] in (b"II*\x00", b"MM\x00*")
    (tmp_path / "b.tif.part").write_bytes(whole[:5000])
    progress = []
    assert adapter.download(asset, tmp_path / "b.tif", progress=lambda d, t: progress.append(d)).read_bytes() == whole
    assert progress[0] == 5000 and progress[-1] == len(whole)
    [ranged] = [r for r in sb.requests("/geopera") if r["headers"].get("range")]
    assert ranged["headers"]["range"] == "bytes=5000-" and ranged["headers"]["authorization"].startswith("Bearer ")


def test_assets_before_delivery_are_empty(sb):
    adapter = geopera(sb)
    found = list(adapter.search(query(limit=1)))
    spec = ArchiveSpec(provider="geopera", captures=(CaptureRef(id=found[0].id, geometry=BERLIN),))
    [order] = adapter.place(spec, "ref-early").orders
    assert adapter.assets(order.id) == []


# ------------------------------------------------------------------------------ faults
def test_read_survives_503_503(sb):
    adapter = geopera(sb)
    sb.fault(kind="status", prefix=OP + "catalog.search", status=503, times=2)
    assert len(list(adapter.search(query(limit=3)))) == 3
    assert len(posts(sb, "catalog.search")) == 3


def test_429_waits_for_retry_after(sb):
    adapter = geopera(sb)
    sb.fault(kind="rate_limit", prefix=OP + "orders.list", retry_after=1, times=1)
    started = time.monotonic()
    assert list(adapter.list_orders()) == []
    assert time.monotonic() - started >= 0.95 and len(posts(sb, "orders.list")) == 2


@pytest.mark.parametrize("kind", ["truncate", "malformed"])
def test_unreadable_bodies_are_invalid_responses(sb, kind):
    adapter = geopera(sb)
    sb.fault(kind=kind, prefix=OP + "catalog.search", times=1)
    with pytest.raises(errors.InvalidResponse) as info:
        list(adapter.search(query(limit=3)))
    assert info.value.provider == "geopera" and info.value.endpoint == "catalog.search"
    assert info.value.status == 200 and "Geopera" in info.value.message


def test_truncated_placement_answer_is_replayed_by_key(sb):
    adapter = geopera(sb)
    found = list(adapter.search(query(limit=1)))
    spec = ArchiveSpec(provider="geopera", captures=(CaptureRef(id=found[0].id, geometry=BERLIN),))
    sb.fault(kind="truncate", prefix=OP + "orders.archive.place", times=1)
    with pytest.raises(errors.InvalidResponse):
        adapter.place(spec, "ref-truncated")
    [order] = adapter.place(spec, "ref-truncated").orders  # the outbox retry: same key, replayed
    assert [o.id for o in adapter.list_orders()] == [order.id]


# ------------------------------------------------------------------------------ redaction
def test_full_flow_at_debug_logs_no_secret(sb, tmp_path):
    key = geopera_keys(sb)["full"]
    with capture_all_logs() as logs:
        adapter = geopera(sb)
        order, _ = delivered_order(sb, adapter, "ref-redaction")
        adapter.download(adapter.assets(order.id)[0], tmp_path / "x.tif")
        sb.admin("POST", "geopera/billing", {"org": "org_demo", "billing_mode": "card", "card": "3ds_required"})
        found = list(adapter.search(query(limit=2)))
        spec = ArchiveSpec(provider="geopera", captures=(CaptureRef(id=found[1].id, geometry=BERLIN),))
        with pytest.raises(errors.PaymentRequired) as info:
            adapter.place(spec, "ref-redaction-3ds")
        secret = info.value.client_secret
        sb.admin("POST", "geopera/3ds/complete", {"client_secret": secret})
        adapter.place(spec, "ref-redaction-3ds")
        adapter.account()
    secrets = {key, secret}
    for entry in sb.requests("/geopera"):
        auth = entry["headers"].get("authorization", "")
        if auth.startswith("Bearer "):
            secrets.add(auth.split(" ", 1)[1])
    assert len(secrets) >= 3 and len(logs.lines) > 20
    text = "\n".join(logs.lines)
    for value in secrets:
        assert value not in text
