"""Geopera estimate prices that cannot be trusted (outside audit, issue 15 item 3).

An unreadable price is "price unavailable" with the reason, never 0 AUD; a negative or
absurd price (over :data:`geopera_models.MAX_PLAUSIBLE_AUD`) is an invalid provider
response, so the item has no fresh price and checkout cannot place it with that price."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nadir.core.errors import InvalidResponse
from nadir.providers.geopera import models as g

GROUP = {"captures": ["scene-abc"], "aoi_km2": 12.4, "credits": 4200, "aud": 42.00}


def body(**totals):
    return {"groups": [dict(GROUP)], "errors": [], **totals}


@pytest.mark.parametrize(
    "totals",
    [
        {},  # no price at all
        {"total_aud": "forty-two"},
        {"total_aud": None, "total_credits": "n/a"},
        {"total_aud": "NaN"},
        {"total_aud": "Infinity", "total_credits": 4200},
        {"total_aud": True},
        {"total_aud": {"amount": 42}},
    ],
)
def test_an_unreadable_price_is_unavailable_with_the_reason_never_zero(totals):
    with pytest.raises(InvalidResponse) as info:
        g.estimate_from_json(body(**totals), "orders.archive.estimate")
    message = info.value.message
    assert "price" in message and "cannot read" in message and "0 AUD" not in message
    assert info.value.provider == "geopera" and info.value.endpoint == "orders.archive.estimate"


@pytest.mark.parametrize(
    "totals, word",
    [
        ({"total_aud": -42.0, "total_credits": -4200}, "negative"),
        ({"total_aud": 42.0, "total_credits": -4200}, "negative"),
        ({"total_credits": 10**12}, "implausible"),
        ({"total_aud": "1e30"}, "implausible"),
    ],
)
def test_a_negative_or_absurd_price_is_rejected_as_an_invalid_response(totals, word):
    with pytest.raises(InvalidResponse) as info:
        g.estimate_from_json(body(**totals), "orders.archive.estimate")
    assert word in info.value.message and "not used" in info.value.message


def test_a_negative_group_price_is_rejected_too():
    bad = {"groups": [dict(GROUP, aud=-1)], "errors": [], "total_aud": 42.0, "total_credits": 4200}
    with pytest.raises(InvalidResponse, match="negative"):
        g.estimate_from_json(bad, "orders.archive.estimate")


def test_plausible_prices_still_read_including_the_bound_itself():
    assert g.estimate_from_json(body(total_aud=42.0, total_credits=4200), "e").total.amount == Decimal("42.0")
    assert g.estimate_from_json(body(total_credits=250), "e").total.amount == Decimal("2.5")
    assert g.estimate_from_json(body(total_aud="0", total_credits=0), "e").total.amount == 0  # free open data
    top = g.estimate_from_json(body(total_aud=g.MAX_PLAUSIBLE_AUD), "e")
    assert top.total.amount == g.MAX_PLAUSIBLE_AUD
