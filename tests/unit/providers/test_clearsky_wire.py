"""ClearSKY wire shapes the sandbox does not send but the documents show (docs-examples.json):
camelCase envelopes, the ASP.NET validation shape, the 2025 estimate, every status value."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import Decimal

import httpx
import pytest

from nadir.core.models import CellLevel, Lifecycle
from nadir.providers.clearsky import wire

NOW = datetime(2025, 3, 1, tzinfo=timezone.utc)


def response(status: int, body) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers={"content-type": "application/json"})


def test_camelcase_tiles_with_bare_minitile_guids():
    data = {
        "tiles": [{"tileGuid": "tile-guid-1", "epsg": 32633, "dataGeogWkt": "POLYGON((0 0,1 0,1 1,0 0))"}],
        "miniTiles": ["minitile-guid-1", "minitile-guid-2"],
    }
    cells, bare = wire.cells(data, default_level=CellLevel.TILE)
    assert [(c.guid, c.level, c.epsg) for c in cells] == [("tile-guid-1", CellLevel.TILE, 32633)]
    assert bare == ["minitile-guid-1", "minitile-guid-2"]
    client = {
        "Tiles": [{"Guid": "m1", "MiniTile": True, "Epsg": "EPSG:32632", "DataGeogWkt": "POLYGON((0 0,1 0,1 1,0 0))"}]
    }
    cells, _ = wire.cells(client, default_level=CellLevel.TILE, parent="t1")
    assert cells[0].level is CellLevel.MINITILE and cells[0].epsg == 32632 and cells[0].parent == "t1"


def test_envelope_and_aspnet_error_shapes():
    envelope = {
        "Data": {"Property": ["Property must be set"]},
        "Succeeded": False,
        "Error": {"Message": "One or more validation errors occurred.", "Code": 992},
    }
    message, code = wire.error_parser(response(400, envelope))
    assert code == "992" and "Property: Property must be set" in message
    camel = {"succeeded": False, "error": {"message": "Insufficient credits", "code": 994}, "data": None}
    assert wire.error_parser(response(400, camel)) == ("Insufficient credits", "994")
    aspnet = {
        "title": "One or more validation errors occurred.",
        "status": 400,
        "errors": {"Model": ["The Model field is required."]},
        "traceId": "00-abc",
    }
    message, code = wire.error_parser(response(400, aspnet))
    assert code == "400" and "Model: The Model field is required." in message


def test_estimate_2024_and_2025_generations():
    old = {
        "AreaKm2": 2.0,
        "AreaKm2BeforeMinimum1Km2PerAoi": 1.2,
        "CurrentMonthCost": 1.5,
        "NextMonthCost": 3.0,
        "Costs": {
            "CurrencyCode": "EUR",
            "CurrentMonthOrderCostEstimate": 1.4,
            "CurrentMonthStorageCosts": 0.1,
            "NextMonthOrderCostEstimate": 2.9,
            "NextMonthStorageCosts": 0.1,
        },
        "ImageDates": ["2025-03-01", "2025-03-04T00:00:00Z"],
    }
    first = wire.estimate(old, NOW)
    assert first.total.amount == Decimal("1.5") and first.next_month.amount == Decimal("3.0")
    assert first.area_km2 == 1.2 and first.billable_area_km2 == 2.0 and len(first.lines) == 4
    assert first.image_dates == (date(2025, 3, 1), date(2025, 3, 4))
    new = {
        "areaKm2": 5.0,
        "currentMonthCosts": {"currencyCode": "EUR", "totalCostEuro": 7.25, "orderCost": 7.0},
        "recurringCostsEstimate": {"totalCost": 9.5},
        "imageDates": [],
    }
    second = wire.estimate(new, NOW)
    assert second.total.amount == Decimal("7.25") and second.next_month.amount == Decimal("9.5")
    assert wire.estimate({"AreaKm2": 1}, NOW) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Review", Lifecycle.PENDING),
        ("Initialize", Lifecycle.IN_PROGRESS),
        ("Failure", Lifecycle.FAILED),
        ("Working", Lifecycle.IN_PROGRESS),
        ("Done", Lifecycle.COMPLETED),
        ("Preparing", Lifecycle.IN_PROGRESS),
        ("AwaitingSatelliteProducts", Lifecycle.IN_PROGRESS),
        ("Processing", Lifecycle.IN_PROGRESS),
        ("Predicting", Lifecycle.IN_PROGRESS),
        ("ProcessingPredicting", Lifecycle.IN_PROGRESS),
        ("Completed", Lifecycle.COMPLETED),
        ("UpToDate", Lifecycle.LIVE),
        ("Canceled", Lifecycle.CANCELLED),
        ("Paused", Lifecycle.UNKNOWN),
    ],
)
def test_every_documented_status_and_unknown_ones(raw, expected):
    order = wire.order(
        {
            "TaskOrderGuid": "g",
            "OrderingProcessStatus": raw,
            "Model": "Stratus2",
            "From": "2025-01-01",
            "To": None,
            "Wkt": "GEOMETRYCOLLECTION (POLYGON ((0 0, 1 0, 1 1, 0 0)))",
            "NewField": 1,
        }
    )
    assert order.status is expected and order.raw_status == raw and order.recurring


def test_docs_order_list_example_parses():
    body = {
        "Data": {
            "TaskOrders": [
                {
                    "TaskOrderGuid": "c3528462-02fc-4301-bb37-8d226b45f149",
                    "OrderingProcessStatus": "Initialize",
                    "Model": "Stratus2",
                    "From": "2023-06-01",
                    "To": None,
                    "Tiles": [],
                    "MiniTiles": [],
                    "Wkt": "GEOMETRYCOLLECTION (POLYGON ((8.67 55.96, 8.67 55.97, 8.68 55.97, 8.67 55.96)))",
                }
            ]
        },
        "Succeeded": True,
        "Error": None,
    }
    orders = wire.orders(body["Data"])
    assert orders[0].kind.value == "composite" and orders[0].aoi["type"] == "GeometryCollection"


def _fixed_estimate(
    current_order,
    current_storage,
    next_order,
    next_storage,
    current,
    following,
    period,
    dates=("2025-03-05", "2025-04-05", "2025-05-05"),
):
    return {
        "AreaKm2": 10.3,
        "CurrentMonthCost": current,
        "NextMonthCost": following,
        "TotalCost": period,
        "Costs": {
            "CurrencyCode": "EUR",
            "CurrentMonthOrderCostEstimate": current_order,
            "CurrentMonthStorageCosts": current_storage,
            "NextMonthOrderCostEstimate": next_order,
            "NextMonthStorageCosts": next_storage,
        },
        "ImageDates": list(dates),
    }


def test_a_fixed_multi_month_order_costs_its_whole_period_and_its_lines_add_up():
    """March to May, asked in March: the total is the whole period, not March alone, and it
    is exactly the sum of the lines shown (the provider rounds each line)."""
    data = _fixed_estimate(17.32, 0.14, 14.85, 0.12, 17.46, 14.97, 62.37)
    fixed = wire.estimate(data, NOW, recurring=False)
    assert fixed.total.amount == Decimal("62.37")
    assert sum(line.price.amount for line in fixed.lines) == fixed.total.amount
    assert fixed.lines[-1].label == "Order and storage, later months"
    assert fixed.lines[-1].price.amount == Decimal("62.37") - Decimal("17.46") - Decimal("14.97")
    assert fixed.next_month is None  # part of the total, not a renewal


def test_rounded_lines_and_the_total_never_disagree_by_a_cent():
    # 17.324 + 0.144 = 17.468 -> the provider says 17.47 in all, but 17.32 and 0.14 per line
    data = _fixed_estimate(17.32, 0.14, 0.0, 0.0, 17.47, 0.0, 17.47, dates=("2025-03-05",))
    fixed = wire.estimate(data, NOW, recurring=False)
    assert fixed.total.amount == sum(line.price.amount for line in fixed.lines) == Decimal("17.46")
    recurring = wire.estimate(
        {
            **data,
            "TotalCost": None,
            "NextMonthCost": 14.97,
            "Costs": {**data["Costs"], "NextMonthOrderCostEstimate": 14.85, "NextMonthStorageCosts": 0.12},
        },
        NOW,
        recurring=True,
    )
    assert recurring.total.amount == Decimal("17.46")  # this month's lines
    assert recurring.next_month.amount == Decimal("14.97")


def test_a_fixed_order_within_two_months_gets_no_rounding_line():
    data = _fixed_estimate(17.32, 0.14, 14.85, 0.12, 17.46, 14.97, 32.44, dates=("2025-03-05", "2025-04-05"))
    fixed = wire.estimate(data, NOW, recurring=False)
    assert [line.label for line in fixed.lines] == [label for label, _, _ in wire.MONTH_LINES]
    assert fixed.total.amount == Decimal("32.43")


def test_an_orders_own_schedule():
    from nadir.core.models import Order, OrderKind
    from nadir.providers.clearsky.assets import on_schedule

    order = Order(
        provider="clearsky",
        id="g",
        kind=OrderKind.COMPOSITE,
        status=Lifecycle.LIVE,
        raw_status="UpToDate",
        start=date(2026, 12, 1),
        recurring=True,
        cancellation_date=date(2026, 12, 31),
        extra={"ReferenceDate": "2026-11-29", "ImageFrequency": 5},
    )
    ours = on_schedule(order)
    assert [d.day for d in (date(2026, 12, n) for n in range(1, 32)) if ours(d)] == [4, 9, 14, 19, 24, 29]
    assert not ours(date(2026, 11, 29)) and not ours(date(2027, 1, 3))  # before From, after it stopped
    bare = order.model_copy(update={"extra": {}, "cancellation_date": None})
    assert on_schedule(bare)(date(2027, 5, 17))  # no frequency known: every date of the period
