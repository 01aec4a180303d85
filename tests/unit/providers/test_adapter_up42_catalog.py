"""The UP42 adapter against the sandbox: catalog search paging and cancellation, quicklooks,
deliveries with resume, injected faults, and redaction of a full flow at DEBUG."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import pytest

from nadir.core import errors
from nadir.core.models import ArchiveSpec, CaptureRef, SearchQuery
from support.adapters import BERLIN, capture_all_logs, up42, up42_user

SEARCH = "/up42/catalog/hosts/oneatlas/stac/search"


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


def fulfilled_order(sb, adapter, reference: str = "ref-delivery"):
    [capture] = list(adapter.search(query(limit=1)))
    spec = ArchiveSpec(provider="up42", captures=(CaptureRef(id=capture.id, geometry=BERLIN, collection="phr"),))
    [order] = adapter.place(spec, reference).orders
    sb.advance(61 * 60)
    assert adapter.get_order(order.id).raw_status == "FULFILLED"
    return order


# ------------------------------------------------------------------------------ search
def test_search_pages_with_the_same_body_and_stops_at_the_limit(sb):
    adapter = up42(sb)
    found = list(adapter.search(query(limit=25, page_size=10, max_cloud=50)))
    assert len(found) == 25 and len({c.id for c in found}) == 25
    assert all(c.cloud_cover is not None and c.cloud_cover <= 50 for c in found)
    assert all(c.provider == "up42" and c.host == "oneatlas" and c.acquired for c in found)
    posts = sb.requests(SEARCH)
    assert len(posts) == 3
    bodies = [json.loads(p["body"]) for p in posts]
    assert bodies[0] == bodies[1] == bodies[2] and bodies[0]["limit"] == 10
    assert bodies[0]["query"] == {"cloudCoverage": {"LTE": 50}}
    assert posts[0]["query"] == "" and "next=" in posts[1]["query"] and posts[1]["query"] != posts[2]["query"]


def test_search_stops_promptly_when_cancelled(sb):
    adapter = up42(sb)
    flag = {"stop": False}
    results = adapter.search(query(page_size=5), cancelled=lambda: flag["stop"])
    first = [next(results) for _ in range(5)]
    flag["stop"] = True
    with pytest.raises(errors.OperationCancelled):
        next(results)
    assert len(first) == 5 and len(sb.requests(SEARCH)) == 1


def test_search_until_the_last_page_and_stream_is_the_same(sb):
    adapter = up42(sb)
    small = query(
        geometry={
            "type": "Polygon",
            "coordinates": [[[13.40, 52.50], [13.401, 52.50], [13.401, 52.501], [13.40, 52.501], [13.40, 52.50]]],
        },
        start=datetime(2024, 1, 1, tzinfo=timezone.utc),
        page_size=3,
    )
    everything = [c.id for c in adapter.search(small)]
    assert everything and [c.id for c in adapter.stream(small)] == everything


def test_search_errors(sb):
    adapter = up42(sb)
    with pytest.raises(errors.InputError, match="host"):
        next(adapter.search(query(host=None)))
    with pytest.raises(errors.NotFound, match="no-such-host"):
        next(adapter.search(query(host="no-such-host")))
    with pytest.raises(errors.ProviderRejected) as info:  # the {data, error} 422 envelope
        next(adapter.search(query(collections=("phr-tasking",))))
    assert info.value.status == 422 and "phr-tasking" in info.value.message


def test_quicklook_is_an_image(sb):
    adapter = up42(sb)
    [capture] = list(adapter.search(query(limit=1)))
    image = adapter.quicklook(capture)
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    assert sb.requests(f"/up42/catalog/oneatlas/image/{capture.id}/quicklook")


# ------------------------------------------------------------------------------ deliveries
def test_assets_and_download_with_progress(sb, tmp_path):
    adapter = up42(sb)
    order = fulfilled_order(sb, adapter)
    [asset] = adapter.assets(order.id)
    assert asset.order_id == order.id and asset.product == "phr" and asset.acquired is not None
    assert "cloud-optimized" in asset.media_type and asset.bbox is not None and asset.roles == ("data",)
    seen = []
    path = adapter.download(asset, tmp_path / "image.tif", progress=lambda done, total: seen.append((done, total)))
    data = path.read_bytes()
    assert data[:4] in (b"II*\x00", b"MM\x00*") and not (tmp_path / "image.tif.part").exists()
    assert seen[-1][0] == len(data)
    link = sb.requests("/up42/v2/assets/")
    assert [r for r in link if r["path"].endswith("/download-url") and r["method"] == "POST"]
    files = [r for r in link if r["path"].endswith("/file")]
    assert files and "authorization" not in files[0]["headers"]  # the signed link needs no token
    assert adapter.assets("00000000-0000-0000-0000-000000000000") == []


def test_download_resumes_a_partial_file_and_keeps_it_when_cancelled(sb, tmp_path):
    adapter = up42(sb)
    [asset] = adapter.assets(fulfilled_order(sb, adapter).id)
    whole = adapter.download(asset, tmp_path / "whole.tif").read_bytes()
    target = tmp_path / "resumed.tif"
    (tmp_path / "resumed.tif.part").write_bytes(whole[:1000])
    assert adapter.download(asset, target).read_bytes() == whole
    ranged = [r for r in sb.requests("/up42/v2/assets/") if r["path"].endswith("/file")][-1]
    assert ranged["headers"].get("range") == "bytes=1000-"
    chunks = []

    def cancel_after_first_chunk() -> bool:
        return bool(chunks)

    with pytest.raises(errors.OperationCancelled):
        adapter.download(
            asset,
            tmp_path / "cancelled.tif",
            progress=lambda done, total: chunks.append(done),
            cancelled=cancel_after_first_chunk,
        )
    assert (tmp_path / "cancelled.tif.part").exists() and not (tmp_path / "cancelled.tif").exists()


# ------------------------------------------------------------------------------ faults
def test_reads_retry_503_twice_then_succeed(sb):
    adapter = up42(sb)
    _ = adapter.workspace_id
    sb.fault(kind="status", prefix="/up42/v2/orders", method="GET", status=503, times=2)
    assert list(adapter.list_orders()) == []
    assert len([r for r in sb.requests("/up42/v2/orders") if r["method"] == "GET"]) == 3


def test_429_waits_for_retry_after(sb):
    adapter = up42(sb)
    _ = adapter.workspace_id
    sb.fault(kind="rate_limit", prefix="/up42/v2/orders", retry_after=1, times=1)
    started = time.monotonic()
    assert list(adapter.list_orders()) == []
    assert time.monotonic() - started >= 0.95


def test_dropped_placement_answer_ends_in_exactly_one_order(sb):
    adapter = up42(sb)
    [capture] = list(adapter.search(query(limit=1)))
    spec = ArchiveSpec(provider="up42", captures=(CaptureRef(id=capture.id, geometry=BERLIN, collection="phr"),))
    sb.fault(kind="drop_after_commit", prefix="/up42/v2/orders", method="POST", times=1)
    result = adapter.place(spec, "ref-dropped")
    assert len(result.orders) == 1 and result.orders[0].client_reference == "ref-dropped"
    posts = [r for r in sb.requests("/up42/v2/orders") if r["method"] == "POST"]
    assert len(posts) == 1  # looked up by its tag, never sent again
    assert [o.id for o in adapter.list_orders()] == [result.orders[0].id]


def test_placement_refused_with_503_is_looked_up_then_sent_once_more(sb):
    adapter = up42(sb)
    [capture] = list(adapter.search(query(limit=1)))
    spec = ArchiveSpec(provider="up42", captures=(CaptureRef(id=capture.id, geometry=BERLIN, collection="phr"),))
    sb.fault(kind="status", prefix="/up42/v2/orders", method="POST", status=503, times=1)
    result = adapter.place(spec, "ref-503")
    assert len(result.orders) == 1
    assert len([r for r in sb.requests("/up42/v2/orders") if r["method"] == "POST"]) == 2
    assert len(list(adapter.list_orders())) == 1


@pytest.mark.parametrize("kind", ["truncate", "malformed"])
def test_unreadable_bodies_are_invalid_responses(sb, kind):
    adapter = up42(sb)
    order = fulfilled_order(sb, adapter, f"ref-{kind}")
    sb.fault(kind=kind, prefix=f"/up42/v2/orders/{order.id}", method="GET", times=1)
    with pytest.raises(errors.InvalidResponse) as info:
        adapter.get_order(order.id)
    assert info.value.provider == "up42" and info.value.endpoint == "orders.get" and info.value.status == 200
    assert "UP42" in info.value.message
    assert adapter.get_order(order.id).id == order.id


# ------------------------------------------------------------------------------ redaction
def test_full_flow_at_debug_logs_no_secret(sb, tmp_path):
    who = up42_user(sb)
    with capture_all_logs() as logs:
        adapter = up42(sb)
        order = fulfilled_order(sb, adapter, "ref-logs")
        [asset] = adapter.assets(order.id)
        adapter.download(asset, tmp_path / "x.tif")
        list(adapter.list_orders())
        adapter.cancel_preview(order)
    secrets = {who["password"]}
    for entry in sb.requests("/"):
        auth = entry["headers"].get("authorization", "")
        if auth.startswith("Bearer "):
            secrets.add(auth.split(" ", 1)[1])
        if "/file" in entry["path"]:
            secrets.add(entry["query"])  # the signed link's signature
    assert len(secrets) >= 3 and len(logs.lines) > 20
    assert any(line.startswith("httpx") for line in logs.lines)
    text = "\n".join(logs.lines)
    for secret in secrets:
        assert secret not in text
    assert "signature" not in text


def test_dropped_cancellation_answer_is_checked_not_resent(sb):
    adapter = up42(sb)
    [capture] = list(adapter.search(query(limit=1)))
    spec = ArchiveSpec(provider="up42", captures=(CaptureRef(id=capture.id, geometry=BERLIN, collection="phr"),))
    [order] = adapter.place(spec, "ref-cancel-drop").orders
    sb.fault(kind="drop_after_commit", prefix=f"/up42/v2/orders/{order.id}/cancellation", times=1)
    assert adapter.cancel_order(order.id).raw_status == "CANCELED"
    assert len(sb.requests(f"/up42/v2/orders/{order.id}/cancellation")) == 1
