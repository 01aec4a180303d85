"""One tolerant reader for provider JSON: the places where ``providers/values.py`` and
``providers/wire.py`` used to disagree (issue 12 item 2), each read one way now."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from nadir.providers import wire

NANO = "2025-04-01T10:20:30.123456789Z"


def test_nanosecond_timestamps_are_read_to_the_microsecond():
    """Nine fraction digits: values.as_datetime relied on ``datetime.fromisoformat``, which
    refuses them before Python 3.11; wire.to_datetime cut them to six with a regex."""
    expected = datetime(2025, 4, 1, 10, 20, 30, 123456, tzinfo=timezone.utc)
    assert wire.as_datetime(NANO) == expected
    assert wire.as_date(NANO) == date(2025, 4, 1)


@pytest.mark.parametrize("text", ["2025-04-01T10:20:30", "2025-04-01 10:20:30", "2025-04-01T10:20:30.5"])
def test_naive_times_are_read_as_utc(text):
    """values.as_datetime returned a naive datetime (comparing it with an aware one raises
    TypeError); wire.to_datetime read it as UTC, as the one reader does now."""
    moment = wire.as_datetime(text)
    assert moment is not None and moment.tzinfo is timezone.utc


def test_offsets_and_z_are_kept_as_standard_timezones():
    moment = wire.as_datetime("2025-04-01T10:20:30+02:00")
    assert moment == datetime(2025, 4, 1, 8, 20, 30, tzinfo=timezone.utc)
    assert moment is not None and moment.tzinfo == timezone(timedelta(hours=2))
    assert wire.as_datetime("2025-04-01T10:20:30Z") == wire.as_datetime("2025-04-01T10:20:30+00:00")
    assert wire.as_datetime("2025-04-01T10:20:30z") == datetime(2025, 4, 1, 10, 20, 30, tzinfo=timezone.utc)


def test_datetime_objects_are_taken_as_they_are_and_naive_ones_as_utc():
    """values.as_datetime refused a datetime object; wire.to_datetime took it."""
    aware = datetime(2025, 4, 1, tzinfo=timezone(timedelta(hours=-3)))
    assert wire.as_datetime(aware) == aware
    assert wire.as_datetime(datetime(2025, 4, 1)) == datetime(2025, 4, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "  ",
        "yesterday",
        "1700000000",
        "2025-13-01T00:00:00Z",
        "2025-04-01T25:00:00Z",
        1700000000,
        1.5,
        True,
        None,
        float("nan"),
        "NaN",
        "Infinity",
        [],
        {},
    ],
)
def test_what_is_not_an_iso_timestamp_is_none(bad):
    """A number (or a string of digits) is not read as a Unix time: no provider sends one,
    and pydantic's datetime reader would take it."""
    assert wire.as_datetime(bad) is None
    assert wire.as_date(bad) is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025-04-01", date(2025, 4, 1)),
        ("2025-04-01T23:30:00-05:00", date(2025, 4, 1)),
        ("2025-04-01T00:00:00Z", date(2025, 4, 1)),
        (NANO, date(2025, 4, 1)),
    ],
)
def test_dates_are_the_calendar_day_written(text, day):
    assert wire.as_date(text) == day


@pytest.mark.parametrize(
    "amount",
    [
        "NaN",
        "nan",
        "-NaN",
        "sNaN",
        "Infinity",
        "-Infinity",
        "inf",
        float("nan"),
        float("inf"),
        Decimal("NaN"),
        Decimal("Infinity"),
        10**400,
        "1e400",
        Decimal("1e400"),
    ],
)
def test_numbers_that_are_not_finite_are_none_in_every_reader(amount):
    assert wire.as_float(amount) is None
    if "400" in str(amount) or isinstance(amount, int):
        assert wire.as_int(amount) == 10**400  # a whole number, however large
    else:
        assert wire.as_decimal(amount) is None and wire.as_int(amount) is None


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("1.5", 1.5),
        (2, 2.0),
        (" 3 ", 3.0),
        (Decimal("0.25"), 0.25),
        ("1e3", 1000.0),
    ],
)
def test_finite_numbers_are_read_the_same_way(value, number):
    assert wire.as_float(value) == number


def test_numbers_that_are_not_finite_in_wire_models_are_missing_not_a_broken_answer():
    """A NaN size or credit in a UP42 estimate reached the cart as a float NaN (pydantic's
    float takes it) or failed the whole answer (pydantic's Decimal refuses it); the readers
    say None for both."""
    from nadir.providers.up42 import models

    body = {
        "summary": {"totalCredits": "NaN", "totalSize": float("nan"), "unit": "SQ_KM"},
        "results": [{"index": 0, "credits": float("inf"), "size": "Infinity", "unit": "SQ_KM"}],
    }
    estimate = wire.read(models.WireEstimate, body, provider="up42", endpoint="orders.estimate")
    assert estimate.summary is not None
    assert estimate.summary.total_credits is None and estimate.summary.total_size is None
    assert estimate.results[0].credits is None and estimate.results[0].size is None
    kept = wire.read(
        models.WireEstimate, {"results": [{"credits": "12.5", "size": 3}]}, provider="up42", endpoint="orders.estimate"
    )
    assert kept.results[0].credits == Decimal("12.5") and kept.results[0].size == 3.0


def test_an_order_whose_creation_time_has_no_zone_can_be_checked_against_the_outbox(tmp_path):
    """ClearSKY's CreatedDate without a zone used to become a naive datetime; the outbox's
    lookup after a lost answer compares it with its own aware time, which raised TypeError."""
    from nadir.core.models import PlacementResult
    from nadir.core.ordering import checkout
    from nadir.core.ordering.outbox import Outbox
    from nadir.providers.clearsky import wire as clearsky_wire
    from support.orders import composite

    outbox = Outbox(tmp_path / "outbox.sqlite")
    entry = outbox.require(outbox.enqueue(composite(), cart_item_id="i1", title="Fields").reference)
    created = (entry.created_at + timedelta(minutes=1)).astimezone(timezone.utc).replace(tzinfo=None)
    order = clearsky_wire.order({"Id": "o1", "Status": "Review", "CreatedDate": created.isoformat()})
    assert order is not None
    found = checkout._plausible(outbox, entry, PlacementResult(orders=(order,)))
    assert [o.id for o in found.orders] == ["o1"]
