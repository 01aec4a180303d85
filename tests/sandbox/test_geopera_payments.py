"""Geopera Idempotency-Key replays and conflicts, billing modes and every 402 variant."""

from __future__ import annotations

import pytest

from support.geopera_sandbox import SYDNEY, Geopera

HOUR = 3600


@pytest.fixture
def geopera(sandbox):
    client = Geopera(sandbox)
    yield client
    client.close()


def orders(geopera):
    return geopera.ok("orders.list", {"size": 100})["totalElements"]


def test_same_key_same_body_replays_byte_for_byte(sandbox, geopera):
    captures = [{"id": geopera.capture()["id"], "geometry": SYDNEY}]
    first = geopera.place(captures, key="order-1")
    sandbox.advance(2 * HOUR)  # the order moved on; the replay still shows the first response
    again = geopera.place(captures, key="order-1")
    assert first.status_code == again.status_code == 202
    assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
    assert orders(geopera) == 1
    # the same body written differently (key order, whitespace) is the same body
    shuffled = geopera.http.post(
        "/v1/op/orders.archive.place",
        headers={"Idempotency-Key": "order-1", "Content-Type": "application/json"},
        content=b'{ "captures" : [ {"geometry": %s, "id": "%s"} ] }'
        % (str(SYDNEY).replace("'", '"').encode(), captures[0]["id"].encode()),
    )
    assert shuffled.content == first.content
    # the resource-style alias runs the same operation, so it shares the key
    alias = geopera.http.post(
        "/v1/orders/archive/place", json={"captures": captures}, headers={"Idempotency-Key": "order-1"}
    )
    assert alias.content == first.content and orders(geopera) == 1


def test_same_key_other_body_is_409(geopera):
    capture = geopera.capture()
    assert geopera.place([{"id": capture["id"], "geometry": SYDNEY}], key="k").status_code == 202
    conflict = geopera.place([{"id": capture["id"]}], key="k")
    assert conflict.status_code == 409 and conflict.headers["content-type"] == "application/problem+json"
    assert conflict.json()["type"].endswith("/idempotency-key-reused")
    assert orders(geopera) == 1


def test_keys_expire_after_24_hours_of_sandbox_time(sandbox, geopera):
    captures = [{"id": geopera.capture()["id"], "geometry": SYDNEY}]
    first = geopera.place(captures, key="daily")
    sandbox.advance(24 * HOUR + 60)
    later = geopera.place(captures, key="daily")
    assert later.status_code == 202 and later.json()["id"] != first.json()["id"] and orders(geopera) == 2


def test_keys_are_per_organisation(sandbox, geopera):
    other = Geopera(sandbox, org="org_other")  # a user of the other organisation: keys cannot place
    captures = [{"id": geopera.capture()["id"], "geometry": SYDNEY}]
    mine, theirs = geopera.place(captures, key="shared"), other.place(captures, key="shared")
    assert mine.status_code == theirs.status_code == 202 and mine.json()["id"] != theirs.json()["id"]


def test_cancel_is_idempotent_too(geopera):
    order = geopera.placed()
    first = geopera.op("orders.cancel", {"order_id": order["id"]}, headers={"Idempotency-Key": "c1"})
    again = geopera.op("orders.cancel", {"order_id": order["id"]}, headers={"Idempotency-Key": "c1"})
    assert first.status_code == again.status_code == 200 and again.content == first.content


def test_insufficient_credits_is_402_and_nothing_is_placed(sandbox, geopera):
    sandbox.admin("POST", "geopera/billing", {"credits": 10})
    response = geopera.place([{"id": geopera.capture()["id"]}], key="poor")
    assert response.status_code == 402 and response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/insufficient-credits") and problem["balance_credits"] == 10
    assert problem["required_credits"] > 10
    assert orders(geopera) == 0 and geopera.ok("billing.credits.balance")["balance_credits"] == 10
    sandbox.admin("POST", "geopera/billing", {"credits": 10_000_000})
    retry = geopera.place([{"id": geopera.capture()["id"]}], key="poor")  # the 402 did not burn the key
    assert retry.status_code == 202


@pytest.mark.parametrize(("card", "kind"), [("declined", "card-declined"), ("none", "no-payment-method")])
def test_card_problems_are_402(sandbox, geopera, card, kind):
    sandbox.admin("POST", "geopera/billing", {"billing_mode": "card", "card": card})
    response = geopera.place([{"id": geopera.capture()["id"]}])
    assert response.status_code == 402 and response.json()["type"].endswith("/" + kind)
    assert orders(geopera) == 0


def test_three_d_secure_challenge_then_retry_with_the_same_key(sandbox, geopera):
    sandbox.admin("POST", "geopera/billing", {"billing_mode": "card", "card": "3ds_required"})
    captures = [{"id": geopera.capture()["id"], "geometry": SYDNEY}]
    challenge = geopera.place(captures, key="3ds-order")
    assert challenge.status_code == 402 and challenge.json()["type"].endswith("/authentication-required")
    secret = challenge.json()["client_secret"]
    assert secret.startswith("pi_") and "_secret_" in secret
    still = geopera.place(captures, key="3ds-order")  # not completed yet: the same challenge again
    assert still.status_code == 402 and still.json()["client_secret"] == secret and orders(geopera) == 0
    assert sandbox.admin("POST", "geopera/3ds/complete", {"client_secret": secret})["status"] == "succeeded"
    placed = geopera.place(captures, key="3ds-order")
    assert placed.status_code == 202, placed.text
    assert placed.json()["billingMode"] == "card" and placed.json()["payment"]["status"] == "held"
    assert geopera.place(captures, key="3ds-order").content == placed.content and orders(geopera) == 1
    # the next order needs a new challenge
    assert geopera.place(captures, key="3ds-order-2").status_code == 402


def test_failed_three_d_secure_is_a_declined_card(sandbox, geopera):
    sandbox.admin("POST", "geopera/billing", {"billing_mode": "card", "card": "3ds_required"})
    captures = [{"id": geopera.capture()["id"]}]
    secret = geopera.place(captures, key="k").json()["client_secret"]
    sandbox.admin("POST", "geopera/3ds/complete", {"client_secret": secret, "outcome": "failed"})
    response = geopera.place(captures, key="k")
    assert response.status_code == 402 and response.json()["type"].endswith("/card-declined")


def test_card_hold_is_captured_on_delivery_and_voided_on_cancel(sandbox, geopera):
    sandbox.admin("POST", "geopera/billing", {"billing_mode": "card", "card": "ok"})
    kept, cancelled = geopera.placed(), geopera.placed()
    assert kept["payment"]["status"] == "held" and kept["billingMode"] == "card"
    refund = geopera.ok("orders.cancel", {"order_id": cancelled["id"]})["refund"]
    assert refund["status"] == "voided"
    sandbox.advance(HOUR + 60)
    assert geopera.ok("orders.get", {"order_id": kept["id"]})["payment"]["status"] == "captured"


def test_enterprise_accrues_without_a_balance(sandbox, geopera):
    sandbox.admin("POST", "geopera/billing", {"billing_mode": "enterprise", "credits": 0})
    order = geopera.placed()
    assert order["billingMode"] == "enterprise" and order["payment"]["status"] == "accrued"
    assert geopera.ok("billing.credits.balance")["balance_credits"] == 0


def test_concurrent_requests_with_one_key_place_one_order(geopera):
    """A double-click: the same key sent several times at once claims once."""
    from concurrent.futures import ThreadPoolExecutor

    captures = [{"id": geopera.capture()["id"], "geometry": SYDNEY}]
    with ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(lambda _: geopera.place(captures, key="double-click"), range(6)))
    placed = [r for r in responses if r.status_code == 202]
    busy = [r for r in responses if r.status_code == 409]
    assert placed and len(placed) + len(busy) == 6
    assert len({r.json()["id"] for r in placed}) == 1 and orders(geopera) == 1
    assert all(r.json()["type"].endswith("/idempotency-key-in-use") for r in busy)
