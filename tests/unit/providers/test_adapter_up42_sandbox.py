"""The UP42 adapter against the sandbox over real HTTP: auth, glossary, estimate, placement,
orders, cancellation, tasking decisions (happy paths and each documented error)."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs

import pytest

from nadir.core import errors
from nadir.core import ports as base
from nadir.core.credentials import Credentials
from nadir.core.models import (
    AccessStatus,
    ArchiveSpec,
    CaptureRef,
    Lifecycle,
    OrderFilter,
    OrderKind,
    SearchQuery,
    TaskingSpec,
)
from nadir.providers import registry
from support.adapters import BERLIN, box, up42, up42_user

TOKEN = "/up42-auth/realms/public/protocol/openid-connect/token"


def tasking_spec(product: str, geometry=BERLIN, **overrides) -> TaskingSpec:
    start = datetime.now(timezone.utc) + timedelta(days=2)
    params = {
        "acquisitionStart": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "acquisitionEnd": (start + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "acquisitionMode": "mono",
        "cloudCoverage": 10,
        "incidenceAngle": 20,
        "geometricProcessing": "ortho",
        "spectralProcessing": "bundle",
        "pixelCoding": "12bits",
        "radiometricProcessing": "reflectance",
        "deliveredAs": "geotiff",
        "projection": "4326",
    }
    params.update(overrides)
    return TaskingSpec(data_product_id=product, params=params, geometry=geometry, display_name="Berlin tasking")


def product_of(adapter, collection: str) -> str:
    return next(p.id for p in adapter.data_products() if p.collection == collection)


def captures(adapter, count: int = 2, collection: str = "phr"):
    query = SearchQuery(
        geometry=BERLIN,
        start=datetime(2015, 1, 1, tzinfo=timezone.utc),
        end=datetime(2025, 1, 1, tzinfo=timezone.utc),
        host="oneatlas",
        collections=(collection,),
        limit=count,
    )
    found = list(adapter.search(query))
    assert len(found) == count
    return found


def archive_spec(found, geometry=BERLIN) -> ArchiveSpec:
    return ArchiveSpec(
        provider="up42", captures=tuple(CaptureRef(id=c.id, geometry=geometry, collection=c.collection) for c in found)
    )


def form_of(entry) -> dict:
    return {k: v[0] for k, v in parse_qs(entry["body"]).items()}


# ------------------------------------------------------------------------------ auth
def test_registry_builds_the_adapter_with_its_capabilities(sb):
    adapter = registry.create(
        "up42",
        {"api": sb.provider_url("up42"), "auth": sb.provider_url("up42-auth")},
        Credentials("a", "b"),
        __import__("httpx").Client(),
    )
    assert adapter.id == "up42" and adapter.title == "UP42"
    for protocol in (
        base.Provider,
        base.SupportsEstimate,
        base.SupportsPlace,
        base.SupportsArchiveSearch,
        base.SupportsTasking,
        base.SupportsOrders,
        base.SupportsDeliveries,
    ):
        assert isinstance(adapter, protocol), protocol
    assert not isinstance(adapter, base.SupportsGrid)
    assert set(registry.capabilities("up42")) >= {"SupportsTasking", "SupportsDeliveries", "SupportsArchiveSearch"}


def test_password_grant_sdk_client_and_workspace_from_userinfo(sb):
    adapter = up42(sb)
    who = up42_user(sb)
    assert adapter.workspace_id == who["workspaceId"]
    account = adapter.account()
    assert account.name == who["username"] and account.extra["workspace_id"] == who["workspaceId"]
    [grant] = sb.requests(TOKEN)
    form = form_of(grant)
    assert form["grant_type"] == "password" and form["client_id"] == "up42-sdk" and form["scope"] == "openid"
    assert who["password"] not in grant["query"] and grant["method"] == "POST"
    userinfo = sb.requests("/up42-auth/realms/public/protocol/openid-connect/userinfo")[0]
    assert userinfo["headers"]["authorization"].startswith("Bearer ")


def test_wrong_password_is_one_credentials_error_without_retries(sb):
    adapter = up42(sb, credentials=Credentials(up42_user(sb)["username"], "not-the-password"))
    with pytest.raises(errors.ProviderAuthError) as info:
        _ = adapter.workspace_id
    assert "Settings > Options > Nadir" in info.value.message and "not-the-password" not in str(info.value)
    assert len(sb.requests(TOKEN)) == 1


def test_missing_credentials_say_how_to_fix(sb):
    adapter = up42(sb, credentials=Credentials("", ""))
    with pytest.raises(errors.ProviderAuthError, match="No UP42 credentials"):
        adapter.account()
    assert sb.requests("/up42") == []
    assert len(adapter.data_products()) == 5  # the glossary needs no auth (CONTRACTS.md 1.1)


def test_revoked_token_is_renewed_once_on_401(sb):
    adapter = up42(sb)
    assert list(adapter.list_orders()) == []
    sb.admin("POST", "up42/tokens", {"revoke": True})
    time.sleep(max(0.0, float(sb.admin("GET", "up42/tokens")["not_before"]) - time.time()) + 0.05)
    assert list(adapter.list_orders()) == []
    lists = [r for r in sb.requests("/up42/v2/orders") if r["method"] == "GET"]
    assert len(lists) == 3  # list, the same list refused with 401, retried once with a new token
    grants = [form_of(r)["grant_type"] for r in sb.requests(TOKEN)]
    # revoked refresh token refused, then a new password grant: never more than that
    assert grants[0] == "password" and grants[-1] == "password" and len(grants) <= 3


def test_token_is_renewed_before_it_expires(sb):
    sb.admin("POST", "up42/tokens", {"access_ttl": 31})  # 30 s margin (the SDK's expiry_offset)
    adapter = up42(sb)
    _ = adapter.workspace_id
    time.sleep(1.1)
    list(adapter.list_orders())
    grants = [form_of(r)["grant_type"] for r in sb.requests(TOKEN)]
    assert len(grants) == 2 and grants[1] in ("refresh_token", "password")
    assert not [r for r in sb.requests("/up42/v2") if r["headers"].get("authorization") is None]


# ------------------------------------------------------------------------------ glossary
def test_data_products_with_access_status(sb):
    products = {p.collection: p for p in up42(sb, user=1).data_products()}
    assert set(products) == {"phr", "pneo", "spot", "phr-tasking", "pneo-tasking"}
    assert products["phr"].access is AccessStatus.GRANTED and products["phr"].type == "ARCHIVE"
    assert (
        products["pneo-tasking"].access is AccessStatus.REQUESTED and products["pneo-tasking"].raw_access == "PENDING"
    )
    assert products["phr-tasking"].access is AccessStatus.NOT_REQUESTED
    assert products["phr-tasking"].id == "bd102407-1814-4f92-8b5a-7697b7a73f5a"  # seed 002
    workspace = up42_user(sb, 1)["workspaceId"]
    sb.admin("POST", "up42/access", {"workspaceId": workspace, "collectionName": "pneo-tasking", "status": "REJECTED"})
    assert {p.collection: p for p in up42(sb, user=1).data_products()}["pneo-tasking"].access is AccessStatus.DENIED


def test_product_schema_and_unknown_product(sb):
    adapter = up42(sb)
    schema = adapter.product_schema("bd102407-1814-4f92-8b5a-7697b7a73f5a")
    assert "acquisitionMode" in schema["properties"] and "geometry" in schema["required"]
    with pytest.raises(errors.NotFound):
        adapter.product_schema("00000000-0000-0000-0000-000000000000")


# ------------------------------------------------------------------------------ estimate
def test_tasking_estimate_and_parameter_errors(sb):
    adapter = up42(sb)
    product = product_of(adapter, "phr-tasking")
    estimate = adapter.estimate(tasking_spec(product))
    assert estimate.total.currency == "credits" and estimate.total.amount > 0 and not estimate.errors
    assert estimate.area_km2 and 70 < estimate.area_km2 < 80
    sent = json.loads(sb.requests("/up42/v2/orders/estimate")[-1]["body"])
    assert "geometry" not in sent["params"] and sent["featureCollection"]["features"][0]["geometry"] == BERLIN
    with pytest.raises(errors.ProviderRejected) as info:
        adapter.estimate(tasking_spec(product, cloudCoverage=99))
    assert info.value.status == 400 and "cloudCoverage" in info.value.message


def test_archive_estimate_has_per_capture_errors(sb):
    adapter = up42(sb)
    found = captures(adapter)
    far = box(100.0, 10.0, 100.1, 10.1)  # outside every Berlin footprint
    spec = ArchiveSpec(
        provider="up42",
        captures=(
            CaptureRef(id=found[0].id, geometry=BERLIN, collection="phr"),
            CaptureRef(id=found[1].id, geometry=far, collection="phr"),
            CaptureRef(id="no-such-image", geometry=BERLIN, collection="phr"),
        ),
    )
    estimate = adapter.estimate(spec)
    assert [line.items for line in estimate.lines] == [(found[0].id,)]
    assert estimate.total == estimate.lines[0].price
    assert {e.item for e in estimate.errors} == {found[1].id, "no-such-image"}
    assert any("does not intersect" in e.message for e in estimate.errors)


# ------------------------------------------------------------------------------ placement
def test_tasking_placement_carries_the_reference_and_is_never_repeated(sb):
    adapter = up42(sb)
    spec = tasking_spec(product_of(adapter, "phr-tasking"))
    result = adapter.place(spec, "ref-tasking-1")
    [order] = result.orders
    assert order.kind is OrderKind.TASKING and order.raw_status == "CREATED" and order.status is Lifecycle.PENDING
    assert order.client_reference == "ref-tasking-1" and order.title == "Berlin tasking"
    sent = sb.requests("/up42/v2/orders")
    post = [r for r in sent if r["method"] == "POST" and r["path"] == "/up42/v2/orders"]
    assert len(post) == 1 and "workspaceId=" in post[0]["query"]
    assert json.loads(post[0]["body"])["tags"] == ["nadir-ref-ref-tasking-1"]
    assert adapter.find_placed(spec, "ref-tasking-1").orders[0].id == order.id
    again = adapter.place(spec, "ref-tasking-1")  # a retry by the outbox
    assert again.orders[0].id == order.id
    assert len(list(adapter.list_orders())) == 1
    assert adapter.find_placed(spec, "another-ref") is None


def test_archive_placement_resumes_a_partial_placement(sb):
    adapter = up42(sb)
    found = captures(adapter, 3)
    first = adapter.place(archive_spec(found[:1]), "ref-archive")
    whole = archive_spec(found)
    partial = adapter.find_placed(whole, "ref-archive")
    assert [o.id for o in partial.orders] == [first.orders[0].id]
    assert {e.item for e in partial.errors} == {found[1].id, found[2].id}
    result = adapter.place(whole, "ref-archive")
    assert len(result.orders) == 3 and not result.errors
    assert {o.extra["imageId"] for o in result.orders} == {c.id for c in found}
    assert len(list(adapter.list_orders())) == 3


def test_placement_denied_without_collection_access(sb):
    adapter = up42(sb, user=1)  # pneo-tasking access is PENDING for this workspace
    with pytest.raises(errors.ProviderAuthError) as info:
        adapter.place(tasking_spec(product_of(adapter, "pneo-tasking")), "ref-denied")
    assert info.value.status == 403 and "pneo-tasking" in info.value.message


def test_placement_with_a_feature_error_reports_it(sb):
    adapter = up42(sb)
    found = captures(adapter, 1)
    result = adapter.place(archive_spec(found, geometry=box(100.0, 10.0, 100.1, 10.1)), "ref-bad-aoi")
    assert result.orders == () and result.errors[0].item == found[0].id
    assert "does not intersect" in result.errors[0].message


# ------------------------------------------------------------------------------ orders
def test_orders_list_pages_filters_and_stops_when_cancelled(sb):
    adapter = up42(sb)
    found = captures(adapter, 5)
    placed = adapter.place(archive_spec(found), "ref-paging")
    ids = {o.id for o in placed.orders}
    assert {o.id for o in adapter.list_orders(OrderFilter(page_size=2))} == ids
    pages = [r for r in sb.requests("/up42/v2/orders") if r["method"] == "GET" and r["path"] == "/up42/v2/orders"]
    assert [parse_qs(r["query"])["page"] for r in pages[-3:]] == [["0"], ["1"], ["2"]]
    assert list(adapter.list_orders(OrderFilter(statuses=("FULFILLED",)))) == []
    assert len(list(adapter.list_orders(OrderFilter(statuses=("CREATED",), kinds=("archive",))))) == 5
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 1

    iterator = adapter.list_orders(OrderFilter(page_size=2), cancelled=cancelled)
    with pytest.raises(errors.OperationCancelled):
        list(iterator)
    assert len(calls) == 2  # stopped before asking for the second page


def test_order_lifecycle_maps_statuses(sb):
    adapter = up42(sb)
    [order] = adapter.place(archive_spec(captures(adapter, 1)), "ref-life").orders
    seen = {}
    for minutes in (0, 11, 6, 16, 31):
        sb.advance(minutes * 60)
        current = adapter.get_order(order.id)
        seen[current.raw_status] = current.status
    assert seen == {
        "CREATED": Lifecycle.PENDING,
        "BEING_PLACED": Lifecycle.IN_PROGRESS,
        "PLACED": Lifecycle.IN_PROGRESS,
        "BEING_FULFILLED": Lifecycle.IN_PROGRESS,
        "FULFILLED": Lifecycle.COMPLETED,
    }
    with pytest.raises(errors.NotFound):
        adapter.get_order("00000000-0000-0000-0000-000000000000")


def test_cancellation_rules(sb):
    adapter = up42(sb)
    first, second, third = adapter.place(archive_spec(captures(adapter, 3)), "ref-cancel").orders
    assert adapter.cancel_preview(first).allowed
    cancelled = adapter.cancel_order(first.id)
    assert cancelled.status is Lifecycle.CANCELLED and cancelled.raw_status == "CANCELED"
    assert adapter.get_order(first.id).raw_status == "CANCELED"
    sb.admin("POST", f"up42/orders/{second.id}/fail", {"status": "PLACEMENT_FAILED"})
    failed = adapter.get_order(second.id)
    assert failed.status is Lifecycle.FAILED and adapter.cancel_preview(failed).allowed
    assert adapter.cancel_order(second.id).status is Lifecycle.CANCELLED
    sb.advance(11 * 60)
    placing = adapter.get_order(third.id)
    preview = adapter.cancel_preview(placing)
    assert not preview.allowed and "CREATED or PLACEMENT_FAILED" in preview.effect
    before = len(sb.requests("/up42/v2/orders"))
    with pytest.raises(errors.ProviderRejected, match="BEING_PLACED"):
        adapter.cancel_order(third.id)
    assert not [r for r in sb.requests("/up42/v2/orders")[before:] if r["path"].endswith("/cancellation")]
    with pytest.raises(errors.Conflict):  # the server enforces the same rule
        adapter._cancel(placing)


# ------------------------------------------------------------------------------ tasking
def test_feasibility_and_quotation_decisions(sb):
    adapter = up42(sb)
    [order] = adapter.place(tasking_spec(product_of(adapter, "phr-tasking")), "ref-feas").orders
    assert adapter.feasibility_studies(order.id) == [] and adapter.quotations(order.id) == []
    sb.advance(2 * 3600 + 60)
    waiting = adapter.get_order(order.id)
    assert waiting.sub_status == "FEASIBILITY_WAITING_RESPONSE" and waiting.status is Lifecycle.AWAITING_DECISION
    [study] = adapter.feasibility_studies(order.id)
    assert study.decision == "NOT_DECIDED" and study.order_id == order.id and study.options
    option = study.options[-1]
    chosen = adapter.choose_feasibility_option(study.id, option.id)
    assert chosen.decision == "ACCEPTED" and chosen.chosen_option == option.id
    with pytest.raises(errors.Conflict):
        adapter.choose_feasibility_option(study.id, study.options[0].id)
    with pytest.raises(errors.NotFound):
        adapter.choose_feasibility_option("00000000-0000-0000-0000-000000000000", option.id)
    sb.advance(3600 + 60)
    [quotation] = adapter.quotations(order.id)
    assert quotation.decision == "NOT_DECIDED" and quotation.price.currency == "credits"
    assert adapter.get_order(order.id).status is Lifecycle.AWAITING_DECISION
    accepted = adapter.decide_quotation(quotation.id, accept=True)
    assert accepted.decision == "ACCEPTED"
    with pytest.raises(errors.Conflict, match="already decided"):
        adapter.decide_quotation(quotation.id, accept=False)
    assert adapter.get_order(order.id).sub_status == "QUOTATION_ACCEPTED"


def test_tasking_lifecycle_end_to_end_on_the_sandbox_clock(sb):
    """Seed 002: the order is placed, support studies its feasibility, then quotes "the final
    price"; once accepted, the acquisition starts. Through the adapter, on the sandbox clock:
    no quotation before the feasibility decision nor for an hour after it; cancel only while
    CREATED (the SDK's rule); accepting moves the order on to fulfilment."""
    minute, hour = 60, 3600
    adapter = up42(sb)
    [order] = adapter.place(tasking_spec(product_of(adapter, "phr-tasking")), "ref-e2e").orders

    def now():
        current = adapter.get_order(order.id)
        return current.raw_status, current.sub_status

    assert now() == ("CREATED", "FEASIBILITY_WAITING_UPLOAD")
    assert adapter.cancel_preview(adapter.get_order(order.id)).allowed
    sb.advance(16 * minute)
    assert now() == ("PLACED", "FEASIBILITY_WAITING_UPLOAD")
    placed = adapter.get_order(order.id)
    assert not adapter.cancel_preview(placed).allowed
    with pytest.raises(errors.ProviderRejected):
        adapter.cancel_order(order.id)
    assert adapter.feasibility_studies(order.id) == [] and adapter.quotations(order.id) == []
    sb.advance(2 * hour - 16 * minute)  # the study is uploaded 2 h after placement
    assert now() == ("PLACED", "FEASIBILITY_WAITING_RESPONSE")
    [study] = adapter.feasibility_studies(order.id)
    sb.advance(5 * hour)  # an undecided study holds the order: no quotation however long it waits
    assert adapter.quotations(order.id) == [] and now() == ("PLACED", "FEASIBILITY_WAITING_RESPONSE")
    adapter.choose_feasibility_option(study.id, study.options[0].id)
    assert now() == ("PLACED", "QUOTATION_WAITING_UPLOAD")
    sb.advance(59 * minute)
    assert adapter.quotations(order.id) == [] and now() == ("PLACED", "QUOTATION_WAITING_UPLOAD")
    sb.advance(2 * minute)  # the quotation is uploaded 1 h after the decision
    [quotation] = adapter.quotations(order.id)
    assert now() == ("PLACED", "QUOTATION_WAITING_RESPONSE")
    assert quotation.decision == "NOT_DECIDED" and quotation.price.amount > 0
    assert adapter.get_order(order.id).status is Lifecycle.AWAITING_DECISION
    assert adapter.decide_quotation(quotation.id, accept=True).decision == "ACCEPTED"
    assert now() == ("PLACED", "QUOTATION_ACCEPTED")
    sb.advance(hour + minute)
    assert now() == ("BEING_FULFILLED", "QUOTATION_ACCEPTED")
    assert adapter.get_order(order.id).status is Lifecycle.IN_PROGRESS
    sb.advance(6 * hour)
    assert now() == ("FULFILLED", "QUOTATION_ACCEPTED")
    assert adapter.get_order(order.id).status is Lifecycle.COMPLETED
    assert not adapter.cancel_preview(adapter.get_order(order.id)).allowed


def test_rejected_quotation_fails_the_order(sb):
    adapter = up42(sb)
    [order] = adapter.place(tasking_spec(product_of(adapter, "pneo-tasking")), "ref-quote").orders
    sb.advance(2 * 3600)
    [quotation] = adapter.quotations(order.id)
    assert adapter.decide_quotation(quotation.id, accept=False).decision == "REJECTED"
    final = adapter.get_order(order.id)
    assert final.status is Lifecycle.FAILED and final.sub_status == "QUOTATION_REJECTED"


def test_close_releases_the_client(sb):
    adapter = up42(sb)
    client = adapter.session.client
    adapter.close()
    assert client.is_closed
