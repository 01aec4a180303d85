"""UP42 answers a placement 200 but without an order id (outside audit, issue 15 item 1).

The order exists at UP42, so the outbox must not say "not placed": the outcome is
unknown, the order is looked up by its reference tag, and the entry settles to placed
(or to not placed only when the lookup proves it absent). Re-adding the item then
cannot make a second order."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import httpx
import pytest

from nadir.core.credentials import Credentials
from nadir.core.errors import AlreadyPlacing
from nadir.core.models import ArchiveSpec, CaptureRef, SearchQuery
from nadir.core.ordering import checkout
from nadir.core.ordering.outbox import FAILED, PLACED, UNKNOWN, Outbox
from nadir.providers.http.auth import clear_token_cache
from nadir.providers.up42.adapter import Up42
from support.adapters import BERLIN, FAST, up42_user


class _Rewrite(httpx.HTTPTransport):
    """Passes requests to the sandbox; the answer to ``POST /v2/orders`` is rewritten."""

    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode  # "strip": the order is made, its id removed; "empty": nothing sent, 200 {}
        self.lookups_fail = False  # once the order is posted, listing orders answers 503
        self.posted = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        placing = request.method == "POST" and request.url.path.endswith("/v2/orders")
        listing = request.method == "GET" and request.url.path.endswith("/v2/orders")
        if listing and self.posted and self.lookups_fail:
            return httpx.Response(503, json={"code": 503, "message": "unavailable", "details": None})
        self.posted = self.posted or placing
        if placing and self.mode == "empty":
            return httpx.Response(200, json={"results": [], "errors": []})
        response = super().handle_request(request)
        if not placing or response.status_code != 200:
            return response
        response.read()
        body = json.loads(response.content)
        for result in body.get("results", []):
            result.pop("id", None)
        return httpx.Response(200, json=body)


def _adapter(sb, mode: str, transport: _Rewrite | None = None) -> Up42:
    clear_token_cache()
    who = up42_user(sb)
    urls = {"api": sb.provider_url("up42"), "auth": sb.provider_url("up42-auth")}
    client = httpx.Client(transport=transport or _Rewrite(mode), timeout=10.0, follow_redirects=False)
    return Up42(urls, Credentials(who["username"], who["password"]), client, policy=FAST)


def _spec(adapter: Up42) -> ArchiveSpec:
    query = SearchQuery(
        geometry=BERLIN,
        start=datetime(2015, 1, 1, tzinfo=timezone.utc),
        end=datetime(2025, 1, 1, tzinfo=timezone.utc),
        host="oneatlas",
        collections=("phr",),
        limit=1,
    )
    [capture] = list(adapter.search(query))
    return ArchiveSpec(
        provider="up42", captures=(CaptureRef(id=capture.id, geometry=BERLIN, collection=capture.collection),)
    )


def _posts(sb) -> int:
    return sum(1 for r in sb.requests("/up42/v2/orders") if r["method"] == "POST" and r["path"] == "/up42/v2/orders")


@pytest.fixture
def outbox(tmp_path):
    return Outbox(tmp_path / "outbox.sqlite")


def test_200_without_an_order_id_settles_to_placed_by_lookup_and_is_never_placed_twice(sb, outbox):
    adapter = _adapter(sb, "strip")
    spec = _spec(adapter)
    ref = outbox.enqueue(spec, cart_item_id="item-1", title="Berlin").reference
    outcome = checkout.place(outbox, adapter, ref)
    assert outcome.entry.state == PLACED, outcome.entry.message
    orders = list(adapter.list_orders())
    assert len(orders) == 1 and outcome.entry.order_ids == (orders[0].id,)
    with pytest.raises(AlreadyPlacing):  # a second checkout of the item is refused: it is placed
        outbox.enqueue(spec, cart_item_id="item-1", title="Berlin")
    assert _posts(sb) == 1
    adapter.close()


def test_200_without_an_order_id_and_a_failing_lookup_stays_unknown_then_reconciles(sb, outbox):
    transport = _Rewrite("strip")
    adapter = _adapter(sb, "strip", transport)
    spec = _spec(adapter)
    ref = outbox.enqueue(spec, cart_item_id="item-1", title="Berlin").reference
    transport.lookups_fail = True
    outcome = checkout.place(outbox, adapter, ref)
    assert outcome.entry.state == UNKNOWN
    assert "not placed" not in outcome.entry.message.lower() and "check" in outcome.entry.message.lower()
    transport.lookups_fail = False
    [settled] = checkout.reconcile(outbox, lambda provider: adapter)
    assert settled.state == PLACED and len(settled.order_ids) == 1
    assert _posts(sb) == 1
    adapter.close()


def test_an_empty_200_is_looked_up_and_ends_not_placed_only_when_the_order_is_absent(sb, outbox):
    adapter = _adapter(sb, "empty")
    spec = _spec(adapter)
    ref = outbox.enqueue(spec, cart_item_id="item-1", title="Berlin").reference
    outcome = checkout.place(outbox, adapter, ref)
    assert outcome.entry.state == FAILED and outcome.entry.failure == "not_placed"
    assert "checked with the provider" in outcome.entry.message
    assert list(adapter.list_orders()) == []
    adapter.close()
