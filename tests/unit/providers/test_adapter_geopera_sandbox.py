"""The Geopera adapter against the sandbox over real HTTP: principals and scopes, estimate,
placement with Idempotency-Key (replay, 409, dropped answers, timeouts), the 402 variants
and 3-D Secure completion, orders, cancellation policy (happy paths and documented errors)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal
from urllib.parse import parse_qs

import httpx
import pytest

from nadir.core import errors
from nadir.core import ports as base
from nadir.core.credentials import Credentials
from nadir.core.models import ArchiveSpec, CaptureRef, Lifecycle, OrderFilter, SearchQuery
from nadir.providers import registry
from nadir.providers.http.session import plain_client
from support.adapters import BERLIN, box, geopera, geopera_keys

OP = "/geopera/v1/op/"
TOKEN = "/geopera/realms/public/protocol/openid-connect/token"


def captures(adapter, count=2, collection="phr", host="oneatlas", geometry=BERLIN):
    query = SearchQuery(
        geometry=geometry,
        start=datetime(2015, 1, 1, tzinfo=timezone.utc),
        end=datetime(2025, 1, 1, tzinfo=timezone.utc),
        host=host,
        collections=(collection,),
        limit=count,
    )
    found = list(adapter.search(query))
    assert len(found) == count
    return found


def spec_of(found, geometry=BERLIN, **options) -> ArchiveSpec:
    return ArchiveSpec(
        provider="geopera",
        options=options,
        captures=tuple(CaptureRef(id=c.id, geometry=geometry, collection=c.collection, host=c.host) for c in found),
    )


def posts(sb, operation):
    return [r for r in sb.requests(OP + operation) if r["method"] == "POST"]


def billing(sb, **changes):
    return sb.admin("POST", "geopera/billing", {"org": "org_demo", **changes})


# ------------------------------------------------------------------------------ principals
def test_registry_builds_the_adapter_with_its_capabilities(sb):
    adapter = registry.create("geopera", {"api": sb.provider_url("geopera")}, Credentials("", "gpra_x"), httpx.Client())
    for protocol in (
        base.Provider,
        base.SupportsEstimate,
        base.SupportsPlace,
        base.SupportsArchiveSearch,
        base.SupportsOrders,
        base.SupportsDeliveries,
    ):
        assert isinstance(adapter, protocol), protocol
    assert not isinstance(adapter, base.SupportsTasking) and not isinstance(adapter, base.SupportsGrid)


def test_a_key_exchanged_for_a_token_reads_but_cannot_place_and_says_which_credentials_can(sb):
    """Seed 003: "an API key cannot place archive orders". With a client id as user name the
    adapter reads with the key and sends the placement with the token exchanged for it;
    Geopera refuses that token (403) and the error says to enter the account e-mail and
    password, where. Nothing is placed. (This test used to place with the exchanged token.)"""
    adapter = geopera(sb, key="full")
    key = geopera_keys(sb)["full"]
    account = adapter.account()
    assert account.balances and account.balances[0].currency == "credits"
    found = captures(adapter, 1)
    assert adapter.estimate(spec_of(found)).total.amount > 0
    with pytest.raises(errors.ProviderAuthError) as info:
        adapter.place(spec_of(found), "ref-principals")
    assert isinstance(info.value, errors.NadirError) and info.value.status == 403
    message = info.value.message
    assert "API key" in message and "e-mail" in message and "password" in message
    assert "Settings > Options > Nadir" in message and "Geopera authentication configuration" in message
    assert "orders:write" in message and key not in message and key not in info.value.details
    search = posts(sb, "catalog.search")[0]
    assert search["headers"]["authorization"] == f"Bearer {key}" and "x-api-key" not in search["headers"]
    [place] = posts(sb, "orders.archive.place")  # one attempt: a 403 is not retried
    assert place["headers"]["authorization"].startswith("Bearer ey") and key not in place["headers"]["authorization"]
    [grant] = sb.requests(TOKEN)
    form = {k: v[0] for k, v in parse_qs(grant["body"]).items()}
    assert form == {"grant_type": "client_credentials", "client_id": "geopera", "client_secret": key}
    assert key not in grant["query"] and key not in grant["path"]
    assert list(adapter.list_orders(OrderFilter())) == []


def test_api_key_alone_cannot_place_and_says_how_to_fix(sb):
    """Nothing is sent; cancelling is not guarded by seed 003 and goes with the key (this test
    used to expect a refusal there too)."""
    adapter = geopera(sb, client_id=None)
    found = captures(adapter, 1)
    assert adapter.estimate(spec_of(found)).total.amount > 0
    with pytest.raises(errors.ProviderAuthError) as info:
        adapter.place(spec_of(found), "ref-key-only")
    assert "e-mail" in info.value.message and "Settings > Options > Nadir" in info.value.message
    assert posts(sb, "orders.archive.place") == [] and sb.requests(TOKEN) == []
    [order] = geopera(sb).place(spec_of(found), "ref-by-the-user").orders
    assert adapter.cancel_order(order.id).status is Lifecycle.CANCELLED


def test_account_password_gives_a_user_principal_that_places(sb):
    user = sb.health()["providers"]["geopera"]["users"][0]
    adapter = geopera(sb, credentials=Credentials(user["username"], user["password"]))
    [order] = adapter.place(spec_of(captures(adapter, 1)), "ref-user").orders
    assert adapter.get_order(order.id).id == order.id
    grants = [parse_qs(r["body"])["grant_type"][0] for r in sb.requests(TOKEN)]
    assert grants == ["password"]
    [place] = posts(sb, "orders.archive.place")
    assert place["headers"]["idempotency-key"] == "ref-user"


def test_missing_wrong_and_narrow_credentials(sb):
    with pytest.raises(errors.ProviderAuthError, match="No Geopera credentials"):
        geopera(sb, credentials=Credentials("", "")).account()
    with pytest.raises(errors.ProviderAuthError) as info:
        geopera(sb, credentials=Credentials("", "gpra_not_a_real_key_000")).account()
    assert info.value.status == 401 and "gpra_not_a_real_key_000" not in str(info.value)
    readonly = geopera(sb, key="readonly")
    found = captures(readonly, 1)
    with pytest.raises(errors.ProviderAuthError) as info:  # 403: missing scope orders:write
        readonly.place(spec_of(found), "ref-scope")
    assert info.value.status == 403 and "orders:write" in info.value.message
    with pytest.raises(errors.ProviderAuthError, match="orders:read"):
        geopera(sb, key="catalog", client_id=None).estimate(spec_of(found))
    with pytest.raises(errors.ProviderAuthError) as info:  # a wrong client id: the token is refused
        geopera(sb, client_id="not-a-client").place(spec_of(found), "ref-client")
    assert "credentials" in info.value.message


# ------------------------------------------------------------------------------ estimate
def test_estimate_groups_errors_and_split_by_date(sb):
    adapter = geopera(sb)
    found = captures(adapter, 3)
    open_data = captures(adapter, 1, collection="sentinel-2-l2a", host="earthsearch-aws")
    estimate = adapter.estimate(spec_of(found + open_data))
    assert estimate.total.currency == "AUD" and estimate.total.amount > 0
    [credits] = estimate.other_totals
    assert credits.currency == "credits" and credits.amount == estimate.total.amount * 100
    assert sum(len(line.items) for line in estimate.lines) == 3 and estimate.area_km2 > 0
    assert [e.item for e in estimate.errors] == [open_data[0].id]
    split = adapter.estimate(spec_of(found, split_by_date=True))
    assert (
        len(split.lines) == len({c.acquired.date() for c in found})
        and split.total == adapter.estimate(spec_of(found)).total
    )
    assert json.loads(posts(sb, "orders.archive.estimate")[-2]["body"])["splitByDate"] is True


def test_estimate_validation_error_is_rejected_with_the_field(sb):
    adapter = geopera(sb)
    session = adapter.session
    with pytest.raises(errors.ProviderRejected) as info:
        session.json(
            "POST",
            adapter._op("orders.archive.estimate"),
            endpoint="orders.archive.estimate",
            json={"captures": "not-a-list"},
        )
    assert info.value.status == 422 and "captures" in info.value.message


# ------------------------------------------------------------------------------ placement
def test_place_sends_the_reference_as_idempotency_key_and_replays(sb):
    adapter = geopera(sb)
    spec = spec_of(captures(adapter, 2))
    result = adapter.place(spec, "ref-idem-1")
    [order] = result.orders
    assert order.raw_status == "processing" and order.status is Lifecycle.IN_PROGRESS
    assert order.extra["billing_mode"] == "credit" and order.price.currency == "AUD"
    assert order.client_reference == "ref-idem-1"
    assert posts(sb, "orders.archive.place")[0]["headers"]["idempotency-key"] == "ref-idem-1"
    again = adapter.place(spec, "ref-idem-1")  # the outbox retries after a crash
    assert again.orders[0].id == order.id
    assert [o.id for o in adapter.list_orders()] == [order.id]
    assert adapter.find_placed(spec, "ref-idem-1").orders[0].id == order.id
    assert adapter.find_placed(spec, "ref-never-sent") is None
    with pytest.raises(errors.Conflict) as info:  # same key, different body
        adapter.place(spec_of(captures(adapter, 3)), "ref-idem-1")
    assert "different order" in info.value.message and info.value.status == 409
    assert len(list(adapter.list_orders())) == 1


def test_dropped_answer_after_commit_ends_in_one_order(sb):
    adapter = geopera(sb)
    spec = spec_of(captures(adapter, 1))
    sb.fault(kind="drop_after_commit", prefix=OP + "orders.archive.place", times=1)
    [order] = adapter.place(spec, "ref-dropped").orders
    sent = posts(sb, "orders.archive.place")
    assert len(sent) == 2 and {r["headers"]["idempotency-key"] for r in sent} == {"ref-dropped"}
    assert sent[0]["body"] == sent[1]["body"]
    assert [o.id for o in adapter.list_orders()] == [order.id]


def test_client_timeout_after_commit_ends_in_one_order(sb):
    client = plain_client(timeout=httpx.Timeout(1.0, connect=1.0))
    adapter = geopera(sb, client=client)
    spec = spec_of(captures(adapter, 1))
    sb.fault(kind="hang_after_commit", prefix=OP + "orders.archive.place", delay=2.5, times=1)
    [order] = adapter.place(spec, "ref-timeout").orders
    assert len(posts(sb, "orders.archive.place")) >= 2
    assert [o.id for o in adapter.list_orders()] == [order.id]


def test_503_on_placement_is_retried_with_the_same_key(sb):
    adapter = geopera(sb)
    spec = spec_of(captures(adapter, 1))
    sb.fault(kind="status", prefix=OP + "orders.archive.place", status=503, times=2)
    [order] = adapter.place(spec, "ref-503").orders
    assert len(posts(sb, "orders.archive.place")) == 3
    assert [o.id for o in adapter.list_orders()] == [order.id]


@pytest.mark.parametrize(
    "changes, reason, mode, words",
    [
        ({"billing_mode": "credit", "credits": 0}, "insufficient-credits", "credit", "not enough credits"),
        ({"billing_mode": "card", "card": "declined"}, "card-declined", "card", "declined"),
        ({"billing_mode": "card", "card": "none"}, "no-payment-method", "card", "no payment method"),
    ],
)
def test_payment_required_variants_are_never_retried(sb, changes, reason, mode, words):
    adapter = geopera(sb)
    spec = spec_of(captures(adapter, 1))
    billing(sb, **changes)
    with pytest.raises(errors.PaymentRequired) as info:
        adapter.place(spec, f"ref-{reason}")
    exc = info.value
    assert exc.reason == reason and exc.billing_mode == mode and words in exc.message and exc.status == 402
    assert exc.client_secret is None and not exc.requires_action
    assert len(posts(sb, "orders.archive.place")) == 1
    assert list(adapter.list_orders()) == []


def test_three_d_secure_then_retry_with_the_same_key(sb):
    adapter = geopera(sb)
    spec = spec_of(captures(adapter, 1))
    billing(sb, billing_mode="card", card="3ds_required")
    with pytest.raises(errors.PaymentRequired) as info:
        adapter.place(spec, "ref-3ds")
    exc = info.value
    secret = exc.client_secret
    assert exc.requires_action and secret and exc.billing_mode == "card" and "3-D Secure" in exc.message
    for text in (str(exc), repr(exc), exc.details, exc.message, str(exc.args)):
        assert secret not in text
    assert len(posts(sb, "orders.archive.place")) == 1
    sb.admin("POST", "geopera/3ds/complete", {"client_secret": secret, "outcome": "succeeded"})
    [order] = adapter.place(spec, "ref-3ds").orders
    assert order.extra["billing_mode"] == "card"
    keys = [r["headers"]["idempotency-key"] for r in posts(sb, "orders.archive.place")]
    assert keys == ["ref-3ds", "ref-3ds"]
    assert [o.id for o in adapter.list_orders()] == [order.id]


# ------------------------------------------------------------------------------ orders
def test_orders_list_pages_filters_and_cancel_stops_it(sb):
    adapter = geopera(sb)
    found = captures(adapter, 5)
    ids = [adapter.place(spec_of([capture]), f"ref-list-{i}").orders[0].id for i, capture in enumerate(found)]
    listed = [o.id for o in adapter.list_orders(OrderFilter(page_size=2))]
    assert sorted(listed) == sorted(ids)
    pages = [json.loads(r["body"])["page"] for r in posts(sb, "orders.list")[-3:]]
    assert pages == [0, 1, 2]
    assert len(list(adapter.list_orders(OrderFilter(statuses=("processing",), kinds=("archive",))))) == 5
    assert list(adapter.list_orders(OrderFilter(statuses=("delivered", "cancelled")))) == []
    assert json.loads(posts(sb, "orders.list")[-1]["body"])["status"] == "delivered,cancelled"
    stop = []
    with pytest.raises(errors.OperationCancelled):
        list(adapter.list_orders(OrderFilter(page_size=2), cancelled=lambda: bool(stop.append(1)) or len(stop) > 1))
    with pytest.raises(errors.NotFound):
        adapter.get_order("00000000-0000-0000-0000-000000000000")


def test_lifecycle_and_cancellation_policy(sb):
    adapter = geopera(sb)
    first, second, third = (
        adapter.place(spec_of([c]), f"ref-cancel-{i}").orders[0] for i, c in enumerate(captures(adapter, 3))
    )
    before = adapter.account().balances[0].amount
    preview = adapter.cancel_preview(first)
    assert preview.allowed and preview.refund.currency == "credits" and "credits" in preview.effect
    cancelled = adapter.cancel_order(first.id)
    assert cancelled.status is Lifecycle.CANCELLED and cancelled.raw_status == "cancelled"
    assert adapter.account().balances[0].amount == before + preview.refund.amount
    cancel_call = posts(sb, "orders.cancel")[0]
    assert cancel_call["headers"]["idempotency-key"].startswith("nadir-cancel-")
    assert json.loads(cancel_call["body"]) == {"order_id": first.id}
    sb.advance(31 * 60)
    delivering = adapter.get_order(second.id)
    assert delivering.raw_status == "delivering" and delivering.status is Lifecycle.IN_PROGRESS
    assert not adapter.cancel_preview(delivering).allowed
    with pytest.raises(errors.Conflict, match="cannot cancel"):
        adapter.cancel_order(second.id)
    sb.advance(31 * 60)
    assert adapter.get_order(second.id).status is Lifecycle.COMPLETED
    sb.admin("POST", f"geopera/orders/{third.id}/fail", {})
    failed = adapter.get_order(third.id)
    assert failed.status is Lifecycle.FAILED and failed.raw_status == "failed"


def test_cross_organisation_order_is_not_found(sb):
    mine = geopera(sb)
    [order] = mine.place(spec_of(captures(mine, 1)), "ref-cross").orders
    with pytest.raises(errors.NotFound):
        geopera(sb, key="other").get_order(order.id)


def test_spend_guard_applies_to_a_changed_cart(sb):
    adapter = geopera(sb)
    found = captures(adapter, 2)
    adapter.place(spec_of(found[:1]), "ref-changed")
    smaller = box(13.37, 52.47, 13.43, 52.53)  # the AOI was edited after the first send
    with pytest.raises(errors.Conflict, match="different order"):
        adapter.place(spec_of(found[:1], geometry=smaller), "ref-changed")
    assert Decimal(len(list(adapter.list_orders()))) == 1


def test_dropped_cancel_answer_is_replayed_by_its_key(sb):
    adapter = geopera(sb)
    [order] = adapter.place(spec_of(captures(adapter, 1)), "ref-cancel-drop").orders
    sb.fault(kind="drop_after_commit", prefix=OP + "orders.cancel", times=1)
    assert adapter.cancel_order(order.id).status is Lifecycle.CANCELLED
    sent = posts(sb, "orders.cancel")
    assert len(sent) == 2 and sent[0]["headers"]["idempotency-key"] == sent[1]["headers"]["idempotency-key"]


def test_close_releases_the_client(sb):
    adapter = geopera(sb)
    adapter.close()
    assert adapter.session.client.is_closed
