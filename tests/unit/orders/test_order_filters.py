"""Overlay and panel filters: model, status groups, both date modes, open-ended orders."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from nadir.core.models import Lifecycle, OrderKind
from nadir.core.orders.filters import DateMode, OrderFilterSpec, Period, StatusGroup, order_period
from support.orders_data import order

MARCH_TO_MAY = order("fixed", start=date(2025, 3, 1), end=date(2025, 5, 31))
RECURRING = order("recurring", start=date(2025, 1, 1), end=None, recurring=True, raw="UpToDate", status=Lifecycle.LIVE)
STOPPED = order(
    "stopped",
    start=date(2025, 1, 1),
    end=None,
    recurring=True,
    cancellation_date=date(2025, 4, 30),
    raw="UpToDate",
    status=Lifecycle.LIVE,
)
ARCHIVE = order(
    "archive",
    provider="geopera",
    kind=OrderKind.ARCHIVE,
    start=None,
    end=None,
    model=None,
    created_at=datetime(2025, 4, 10, 8, tzinfo=timezone.utc),
    raw="delivered",
    status=Lifecycle.COMPLETED,
)
UNDATED = order("undated", start=None, end=None, created_at=None)


def ids(spec: OrderFilterSpec, orders=(MARCH_TO_MAY, RECURRING, STOPPED, ARCHIVE, UNDATED)) -> list[str]:
    return [o.id for o in spec.apply(orders)]


def test_periods():
    assert order_period(MARCH_TO_MAY) == Period(date(2025, 3, 1), date(2025, 5, 31))
    assert order_period(RECURRING) == Period(date(2025, 1, 1), None) and order_period(RECURRING).open_ended
    assert order_period(STOPPED) == Period(date(2025, 1, 1), date(2025, 4, 30))
    assert order_period(ARCHIVE) == Period(date(2025, 4, 10), date(2025, 4, 10))
    assert order_period(UNDATED) is None


def test_no_filter_shows_everything():
    assert ids(OrderFilterSpec()) == ["fixed", "recurring", "stopped", "archive", "undated"]


@pytest.mark.parametrize(
    ("first", "last", "overlap", "within"),
    [
        # range covering the whole fixed order and the archive day
        (date(2025, 2, 1), date(2025, 6, 30), ["fixed", "recurring", "stopped", "archive"], ["fixed", "archive"]),
        # range inside the fixed order: overlap only
        (date(2025, 4, 1), date(2025, 4, 15), ["fixed", "recurring", "stopped", "archive"], ["archive"]),
        # range ending exactly where the fixed order starts (inclusive bounds)
        (date(2024, 12, 1), date(2025, 3, 1), ["fixed", "recurring", "stopped"], []),
        # range after the stopped recurring order ended: the open one still overlaps
        (date(2025, 5, 1), date(2025, 5, 31), ["fixed", "recurring"], []),
        # a range open at its end contains even an open-ended recurring order
        (
            date(2025, 1, 1),
            None,
            ["fixed", "recurring", "stopped", "archive"],
            ["fixed", "recurring", "stopped", "archive"],
        ),
        (date(2025, 2, 1), None, ["fixed", "recurring", "stopped", "archive"], ["fixed", "archive"]),
        # range up to a day: a recurring order started before it overlaps, never lies within
        (None, date(2025, 1, 31), ["recurring", "stopped"], []),
        # range before everything
        (date(2020, 1, 1), date(2020, 12, 31), [], []),
    ],
)
def test_date_modes(first, last, overlap, within):
    assert ids(OrderFilterSpec(date_from=first, date_to=last, date_mode=DateMode.OVERLAP)) == overlap
    assert ids(OrderFilterSpec(date_from=first, date_to=last, date_mode=DateMode.WITHIN)) == within


def test_an_open_range_on_both_sides_is_no_date_filter():
    assert "undated" in ids(OrderFilterSpec(date_mode=DateMode.WITHIN))


def test_model_filter():
    assert ids(OrderFilterSpec(models=frozenset({"Stratus2"}))) == ["fixed", "recurring", "stopped", "undated"]
    assert ids(OrderFilterSpec(models=frozenset({"Nimbus"}))) == []


def test_status_groups():
    ended = order("ended", raw="Canceled", status=Lifecycle.CANCELLED)
    failed = order("failed", raw="Failure", status=Lifecycle.FAILED)
    odd = order("odd", raw="Teleporting", status=Lifecycle.UNKNOWN)
    decision = order(
        "decide",
        provider="up42",
        raw="PLACED",
        sub_status="QUOTATION_WAITING_RESPONSE",
        status=Lifecycle.AWAITING_DECISION,
    )
    orders = (MARCH_TO_MAY, RECURRING, ARCHIVE, ended, failed, odd, decision)
    assert ids(OrderFilterSpec(status=StatusGroup.LIVE), orders) == ["fixed", "recurring", "decide"]
    assert ids(OrderFilterSpec(status=StatusGroup.COMPLETED), orders) == ["archive"]
    assert ids(OrderFilterSpec(status=StatusGroup.ENDED), orders) == ["ended", "failed"]
    assert ids(OrderFilterSpec(status=StatusGroup.UNKNOWN), orders) == ["odd"]
    assert len(ids(OrderFilterSpec(status=StatusGroup.ALL), orders)) == len(orders)
    assert ids(OrderFilterSpec(status=StatusGroup.AWAITING), orders) == ["decide"]
    # every lifecycle value is in exactly one group (AWAITING is a narrower view of LIVE, like ALL a wider one)
    for status in Lifecycle:
        groups = [g for g in StatusGroup if g not in (StatusGroup.ALL, StatusGroup.AWAITING)]
        assert sum(group.matches(status) for group in groups) == 1


def test_provider_filter():
    assert ids(OrderFilterSpec(providers=frozenset({"geopera"}))) == ["archive"]


def test_reversed_range_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match=r"starts \(2025-05-01\) after it ends \(2025-04-01\)"):
        OrderFilterSpec(date_from=date(2025, 5, 1), date_to=date(2025, 4, 1))


def test_awaiting_your_decision_is_a_group_of_its_own():
    from nadir.core.models import Lifecycle
    from nadir.core.orders.filters import StatusGroup

    assert StatusGroup.AWAITING.matches(Lifecycle.AWAITING_DECISION)
    assert not any(StatusGroup.AWAITING.matches(s) for s in Lifecycle if s is not Lifecycle.AWAITING_DECISION)
    assert StatusGroup.LIVE.matches(Lifecycle.AWAITING_DECISION)  # still live as well
