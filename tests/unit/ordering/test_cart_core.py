"""Cart items and cart operations (core/ordering/cart.py): estimate states, edit, duplicate,
remove, totals per currency, merge with a project's cart."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from nadir.core.models import ItemError, Money, OrderKind
from nadir.core.ordering.cart import ESTIMATE_MAX_AGE, Cart, CartItem, EstimateState, fingerprint, remaining_after
from support.orders import archive, composite, estimate, tasking, tiles

NOW = datetime(2025, 5, 1, 12, 0, tzinfo=timezone.utc)


def priced(spec, amount="10.00", currency="EUR", at=NOW, **kw) -> CartItem:
    item = CartItem(spec=spec, added_at=at, updated_at=at, **kw)
    return item.estimate_requested(item.fingerprint).estimate_received(
        item.fingerprint, estimate(amount, currency, provider=item.provider), now=at
    )


def test_item_knows_provider_and_kind_for_every_spec_type():
    assert (CartItem(spec=composite()).provider, CartItem(spec=composite()).kind) == ("clearsky", OrderKind.COMPOSITE)
    assert CartItem(spec=tiles()).kind is OrderKind.TILE
    assert (CartItem(spec=archive("oneatlas")).provider, CartItem(spec=archive()).kind) == (
        "oneatlas",
        OrderKind.ARCHIVE,
    )
    assert (CartItem(spec=tasking()).provider, CartItem(spec=tasking()).kind) == ("up42", OrderKind.TASKING)


def test_fingerprint_is_stable_and_changes_with_any_field():
    assert fingerprint(composite()) == fingerprint(composite())
    assert fingerprint(composite()) != fingerprint(composite(storage_months=3))
    assert fingerprint(tiles()) != fingerprint(tiles(tile_dedup=False))


def test_estimate_lifecycle_none_pending_fresh():
    item = CartItem(spec=composite())
    assert item.state(NOW) is EstimateState.NONE and item.needs_estimate(NOW)
    item = item.estimate_requested(item.fingerprint)
    assert item.state(NOW) is EstimateState.PENDING and not item.needs_estimate(NOW)
    item = item.estimate_received(item.fingerprint, estimate("12.34"), now=NOW)
    assert item.state(NOW) is EstimateState.FRESH
    assert item.price == Money(amount=Decimal("12.34"), currency="EUR")


def test_edit_makes_the_estimate_stale_and_keeps_it_until_a_new_one():
    item = priced(composite())
    edited = item.edited(composite(storage_months=6), now=NOW)
    assert edited.state(NOW) is EstimateState.STALE
    assert edited.price is None  # a price for another spec is never counted
    assert edited.estimate is not None and edited.needs_estimate(NOW)


def test_old_estimate_is_stale():
    item = priced(composite())
    assert item.state(NOW + ESTIMATE_MAX_AGE - timedelta(seconds=1)) is EstimateState.FRESH
    assert item.state(NOW + ESTIMATE_MAX_AGE + timedelta(seconds=1)) is EstimateState.STALE
    assert item.price is not None  # still shown, marked stale


def test_answer_for_an_older_spec_is_ignored():
    item = CartItem(spec=composite())
    asked = item.fingerprint
    item = item.estimate_requested(asked).edited(composite(frequency_days=7))
    assert item.estimate_received(asked, estimate("9.99")) is item
    assert item.estimate_failed(asked, "boom") is item
    assert item.state(NOW) is EstimateState.NONE


def test_failed_estimate_carries_the_message():
    item = CartItem(spec=composite())
    item = item.estimate_requested(item.fingerprint).estimate_failed(item.fingerprint, "ClearSKY said no")
    assert item.state(NOW) is EstimateState.FAILED and item.estimate_error == "ClearSKY said no"
    assert not item.needs_estimate(NOW)


def test_add_edit_duplicate_remove():
    a, b = CartItem(spec=composite(), title="Fields"), CartItem(spec=tiles())
    cart = Cart().add(a).add(b)
    with pytest.raises(ValueError):
        cart.add(a)
    cart = cart.update(a.id, lambda i: i.edited(composite(api_requests=5), title="Fields v2"))
    assert cart.require(a.id).title == "Fields v2" and cart.require(a.id).spec.api_requests == 5
    cart, copy = cart.duplicate(a.id)
    assert cart.ids == (a.id, copy.id, b.id)
    assert copy.id != a.id and copy.spec == cart.require(a.id).spec and copy.title == "Fields v2 (copy)"
    cart = cart.remove(a.id)
    assert cart.ids == (copy.id, b.id) and cart.removed == (a.id,)
    assert cart.remove("nope") is cart


def test_totals_per_currency_and_what_they_leave_out():
    cart = Cart()
    for item in (
        priced(composite(), "10.50"),
        priced(tiles(), "4.50"),
        priced(archive(), "120", "AUD"),
        priced(tasking(), "300", "credits"),
    ):
        cart = cart.add(item)
    unpriced = CartItem(spec=composite(api_requests=9))
    pending = unpriced.estimate_requested(unpriced.fingerprint).model_copy(update={"id": "p"})
    stale = priced(tiles(), "1.00", at=NOW - timedelta(hours=2))
    cart = cart.add(unpriced).add(pending).add(stale)
    totals = cart.totals(NOW)
    assert totals.totals == {
        "EUR": Money(amount=Decimal("16.00"), currency="EUR"),
        "AUD": Money(amount=Decimal("120"), currency="AUD"),
        "credits": Money(amount=Decimal("300"), currency="credits"),
    }
    assert (totals.unpriced, totals.pending, totals.stale, totals.complete) == (1, 1, 1, False)


def test_merge_adds_missing_items_keeps_newer_edits_and_respects_removals():
    mine_a = CartItem(spec=composite(), title="A", updated_at=NOW)
    removed = CartItem(spec=tiles(), title="removed here")
    placed = CartItem(spec=archive(), title="placed already")
    cart = Cart().add(mine_a).add(removed).remove(removed.id)
    theirs_a = mine_a.edited(composite(storage_months=9), title="A newer", now=NOW + timedelta(minutes=5))
    only_theirs = CartItem(spec=tasking(), title="from project")
    project = Cart().add(theirs_a).add(removed).add(placed).add(only_theirs)
    merged, taken = cart.merge(project, skip={placed.id})
    assert merged.ids == (mine_a.id, only_theirs.id)
    assert merged.require(mine_a.id).title == "A newer"
    assert {i.id for i in taken} == {mine_a.id, only_theirs.id}
    # an older project version never overwrites a newer local edit
    again, taken2 = merged.merge(Cart().add(mine_a))
    assert again.require(mine_a.id).title == "A newer" and taken2 == ()


def test_remaining_after_partial_archive_placement():
    spec = archive(ids=("c1", "c2", "c3"))
    left = remaining_after(spec, [ItemError(item="c3", message="no longer available")])
    assert left is not None and [c.id for c in left.captures] == ["c3"]
    assert remaining_after(spec, []) is None
    assert remaining_after(composite(), [ItemError(item="x", message="y")]) is None


def test_items_round_trip_through_json_with_their_spec_type():
    cart = Cart().add(priced(composite())).add(CartItem(spec=tiles())).add(CartItem(spec=archive()))
    cart = cart.add(CartItem(spec=tasking()))
    back = Cart.model_validate_json(cart.model_dump_json())
    assert back == cart
    assert [type(i.spec).__name__ for i in back.items] == ["ClearSkySpec", "ClearSkySpec", "ArchiveSpec", "TaskingSpec"]
    assert back.items[0].state(NOW) is EstimateState.FRESH
    assert "fingerprint" not in cart.model_dump()["items"][0]
