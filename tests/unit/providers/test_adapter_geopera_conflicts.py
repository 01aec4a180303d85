"""Geopera 409s on placement, on a scripted loopback server (the sandbox cannot hold a
request open inside its handler): "key still in use" waits and asks again with the same
key; "key reused with another body" and state conflicts say which they are."""

from __future__ import annotations

import pytest

from nadir.core import errors
from nadir.core.credentials import Credentials
from nadir.core.models import ArchiveSpec, CaptureRef
from nadir.providers.geopera.adapter import Geopera
from nadir.providers.http.session import plain_client
from support.adapters import BERLIN, FAST
from support.httpserver import Reply, ScriptedServer

PLACE = "/v1/op/orders.archive.place"
TOKEN = "/realms/public/protocol/openid-connect/token"
SPEC = ArchiveSpec(provider="geopera", captures=(CaptureRef(id="scene-abc", geometry=BERLIN),))


def problem(kind: str, detail: str) -> Reply:
    return Reply(
        409,
        json={"type": f"https://api.geopera.com/problems/{kind}", "title": "Conflict", "status": 409, "detail": detail},
        headers={"Content-Type": "application/problem+json"},
    )


def adapter(server: ScriptedServer, sleeps: list[float]) -> Geopera:
    server.script("POST", TOKEN, Reply(200, json={"access_token": "eyJ.contract.token", "expires_in": 300}))
    return Geopera(
        {"api": server.url},
        Credentials("geopera", "gpra_scripted_key_123"),
        plain_client(),
        policy=FAST,
        sleep=sleeps.append,
    )


def test_key_in_use_waits_and_asks_again_with_the_same_key():
    sleeps: list[float] = []
    with ScriptedServer() as server:
        geopera = adapter(server, sleeps)
        server.script(
            "POST",
            PLACE,
            problem("idempotency-key-in-use", "still being processed; retry later"),
            Reply(202, json={"id": "order-1", "status": "processing", "billingMode": "credit"}),
        )
        [order] = geopera.place(SPEC, "ref-in-use").orders
        sent = server.seen(PLACE)
    assert order.id == "order-1" and len(sent) == 2 and sleeps and min(sleeps) >= 1.0
    assert {s.headers.get("Idempotency-Key") or s.headers.get("idempotency-key") for s in sent} == {"ref-in-use"}
    assert sent[0].body == sent[1].body


def test_key_still_in_use_after_waiting_says_so():
    sleeps: list[float] = []
    with ScriptedServer() as server:
        geopera = adapter(server, sleeps)
        server.script("POST", PLACE, problem("idempotency-key-in-use", "still being processed; retry later"))
        with pytest.raises(errors.Conflict, match="still processing an earlier attempt"):
            geopera.place(SPEC, "ref-busy")
        assert len(server.seen(PLACE)) == 3


@pytest.mark.parametrize(
    "kind, detail, words",
    [
        (
            "idempotency-key-reused",
            "this Idempotency-Key was already used with a different request body",
            "different order body",
        ),
        ("order-state", "the project is archived", "current state: "),
    ],
)
def test_other_conflicts_are_not_retried_and_say_which(kind, detail, words):
    with ScriptedServer() as server:
        geopera = adapter(server, [])
        server.script("POST", PLACE, problem(kind, detail))
        with pytest.raises(errors.Conflict) as info:
            geopera.place(SPEC, "ref-conflict")
        assert len(server.seen(PLACE)) == 1
    assert words in info.value.message and info.value.status == 409


def test_placement_in_progress_through_checkout_is_one_coherent_message_and_never_not_placed(tmp_path):
    """Outside audit (issue 15): the 409 "still being processed" at the end of its waits is
    an outcome not known yet: the entry stays unknown with one message that says so (never
    "not placed", never two contradicting sentences), and it is looked up before any resend."""
    from nadir.core.ordering import checkout
    from nadir.core.ordering.outbox import PLACED, UNKNOWN, Outbox

    outbox = Outbox(tmp_path / "outbox.sqlite")
    ref = outbox.enqueue(SPEC, cart_item_id="item-1", title="Berlin").reference
    sleeps: list[float] = []
    with ScriptedServer() as server:
        geopera = adapter(server, sleeps)
        server.script("POST", PLACE, problem("idempotency-key-in-use", "still being processed; retry later"))
        server.script("POST", "/v1/op/orders.list", Reply(200, json={"content": [], "totalPages": 1, "last": True}))
        outcome = checkout.place(outbox, geopera, ref, provider_title="Geopera")
        assert len(server.seen("/v1/op/orders.list")) == 1  # looked up once, at once
        entry = outcome.entry
        assert entry.state == UNKNOWN and entry.retryable
        text = entry.message
        assert "still processing" in text and "not placed" not in text.lower() and "stays in the cart" not in text
        assert text.count("Geopera") == 1 and "same key" in text and "Retry" not in text, text
        with pytest.raises(errors.AlreadyPlacing):  # a second checkout does not send another order
            outbox.enqueue(SPEC, cart_item_id="item-1")

        # later the provider has finished: the retry finds the order, nothing is sent again
        order = {
            "id": "order-1",
            "status": "processing",
            "billingMode": "credit",
            "tags": [f"nadir-ref-{ref}"],
            "createdAt": "2030-01-01T00:00:00Z",
        }
        server.script(
            "POST", "/v1/op/orders.list", Reply(200, json={"content": [order], "totalPages": 1, "last": True})
        )
        posts = len(server.seen(PLACE))
        again = checkout.place(outbox, geopera, ref, provider_title="Geopera")
        assert again.entry.state == PLACED and again.entry.order_ids == ("order-1",)
        assert len(server.seen(PLACE)) == posts
