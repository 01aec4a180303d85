"""Contract: every request the Geopera adapter builds passes Prism's validation against
Geopera's own ``openapi.json`` (v2.1.0, CONTRACTS.md 3, 6.1).

The adapter runs a full flow against the stateful sandbox (search pages, stream, estimate,
placement, 402, orders, cancel, assets); each operation call it sent (``/v1/op/...``) is
then sent as is (method, path, body, Authorization, Idempotency-Key) to Prism, which
validates body, parameters and security. Token requests and file downloads are not
operations of the spec.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from nadir.core import errors
from nadir.core.models import ArchiveSpec, CaptureRef, OrderFilter, SearchQuery
from support.adapters import BERLIN, geopera
from support.prism import run_prism, spec_path

FORWARDED = ("authorization", "content-type", "idempotency-key")


@pytest.fixture(scope="module")
def prism():
    with run_prism(spec_path("geopera")) as server:
        yield server


def full_flow(sb, tmp_path) -> None:
    adapter = geopera(sb)
    query = SearchQuery(
        geometry=BERLIN,
        start=datetime(2015, 1, 1, tzinfo=timezone.utc),
        end=datetime(2025, 1, 1, tzinfo=timezone.utc),
        host="oneatlas",
        collections=("phr", "pneo"),
        max_cloud=30,
        limit=12,
        page_size=5,
    )
    found = list(adapter.search(query))
    list(adapter.stream(query))
    spec = ArchiveSpec(
        provider="geopera",
        options={"split_by_date": True},
        captures=tuple(CaptureRef(id=c.id, geometry=BERLIN, collection=c.collection, host=c.host) for c in found[:2]),
    )
    adapter.estimate(spec)
    adapter.account()
    [order] = adapter.place(spec, "ref-contract").orders
    adapter.find_placed(spec, "ref-contract")
    list(adapter.list_orders(OrderFilter(statuses=("processing",), kinds=("archive",), page_size=1)))
    adapter.get_order(order.id)
    [other] = adapter.place(
        ArchiveSpec(provider="geopera", captures=(CaptureRef(id=found[4].id, geometry=BERLIN),)), "ref-contract-2"
    ).orders
    adapter.cancel_order(other.id)
    sb.admin("POST", "geopera/billing", {"org": "org_demo", "credits": 0})
    with pytest.raises(errors.PaymentRequired):
        adapter.place(
            ArchiveSpec(provider="geopera", captures=(CaptureRef(id=found[3].id, geometry=BERLIN),)), "ref-contract-402"
        )
    sb.advance(3600)
    adapter.assets(order.id)


def test_every_operation_request_passes_the_geopera_spec(prism, sb, tmp_path):
    full_flow(sb, tmp_path)
    calls = [r for r in sb.requests("/geopera/v1/op/") if r["method"] == "POST"]
    operations = {r["path"].rsplit("/", 1)[-1] for r in calls}
    assert operations >= {
        "catalog.search",
        "catalog.search_stream",
        "orders.archive.estimate",
        "orders.archive.place",
        "orders.get",
        "orders.list",
        "orders.cancel",
        "orders.list_assets",
        "billing.credits.balance",
    }
    with prism.client() as client:
        for call in calls:
            headers = {k: v for k, v in call["headers"].items() if k in FORWARDED}
            client.post(
                prism.url + call["path"].removeprefix("/geopera"), content=call["body"].encode(), headers=headers
            )
    prism.assert_clean()
    assert len(prism.seen) == len(calls)


def test_the_geopera_contract_check_can_fail(prism):
    with prism.client() as client:
        client.post(
            prism.url + "/v1/op/catalog.search", json={"limit": 900}, headers={"Authorization": "Bearer gpra_contract"}
        )
    with pytest.raises(AssertionError, match="host_name"):
        prism.assert_clean()
    prism.violations.clear()
