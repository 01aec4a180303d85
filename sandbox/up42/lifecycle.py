"""UP42 order lifecycles on the sandbox clock, computed lazily from an order's creation
time, the client's decisions and ``now`` (no background work; a restart keeps the timeline).

Status values are the union of those of the SDK at HEAD, the SDK of 2025 and the docs; the sandbox
reaches ``CREATED, BEING_PLACED, PLACED, BEING_FULFILLED, FULFILLED, FAILED_PERMANENTLY,
CANCELED, PLACEMENT_FAILED`` (the last two by cancellation and by the admin failure
switch). Sub-statuses are the SDK HEAD list.

Archive:  CREATED (10 min) -> BEING_PLACED (5 min) -> PLACED (15 min) -> BEING_FULFILLED
(30 min) -> FULFILLED.

Tasking (UP42's "Place an order" tasking guide: "feasibility evaluation ... quotation ... activation"):
CREATED/BEING_PLACED/PLACED as archive with sub-status ``FEASIBILITY_WAITING_UPLOAD``;
2 h after creation the study is uploaded (``FEASIBILITY_WAITING_RESPONSE``) and waits for
``PATCH /v2/tasking/feasibility-studies/{id}``; 1 h after that decision the quotation is
uploaded (``QUOTATION_WAITING_UPLOAD`` -> ``QUOTATION_WAITING_RESPONSE``) and waits for
``PATCH /v2/tasking/quotation/{id}``. ACCEPTED: ``QUOTATION_ACCEPTED``, BEING_FULFILLED
1 h later, FULFILLED 6 h after that. REJECTED: ``FAILED_PERMANENTLY`` with sub-status
``QUOTATION_REJECTED`` (the docs' tasking status list has no CANCELED, so a rejected
quotation ends the order as failed; the sub-status says why). Without a feasibility study
(pneo-tasking with a small AOI) the quotation is uploaded 1 h after PLACED.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MINUTE = 60.0
HOUR = 3600.0
ARCHIVE_STEPS = (
    (0.0, "CREATED"),
    (10 * MINUTE, "BEING_PLACED"),
    (15 * MINUTE, "PLACED"),
    (30 * MINUTE, "BEING_FULFILLED"),
    (60 * MINUTE, "FULFILLED"),
)
PLACED_AFTER = 15 * MINUTE
FEASIBILITY_UPLOAD_AFTER = 2 * HOUR
QUOTATION_UPLOAD_AFTER = 1 * HOUR
FULFILMENT_START_AFTER = 1 * HOUR
FULFILMENT_DURATION = 6 * HOUR

STATUSES = (
    "CREATED",
    "BEING_PLACED",
    "PLACED",
    "BEING_FULFILLED",
    "DELIVERY_INITIALIZATION_FAILED",
    "DOWNLOAD_FAILED",
    "DOWNLOADED",
    "FULFILLED",
    "FAILED",
    "FAILED_PERMANENTLY",
    "CANCELED",
    "PLACEMENT_FAILED",
)
SUB_STATUSES = (
    "FEASIBILITY_WAITING_UPLOAD",
    "FEASIBILITY_WAITING_RESPONSE",
    "QUOTATION_WAITING_UPLOAD",
    "QUOTATION_WAITING_RESPONSE",
    "QUOTATION_ACCEPTED",
    "QUOTATION_REJECTED",
)
#: the SDK refuses to cancel unless the order is in one of these (up42/order.py Order.cancel);
#: the sandbox enforces the same rule server-side
CANCELLABLE = ("CREATED", "PLACEMENT_FAILED")
#: what /_sandbox/up42/orders/{id}/fail may force
FORCEABLE_FAILURES = ("PLACEMENT_FAILED", "FAILED_PERMANENTLY", "DELIVERY_INITIALIZATION_FAILED", "DOWNLOAD_FAILED")

Step = tuple[float, str, "str | None"]


@dataclass(frozen=True)
class State:
    status: str
    sub_status: str | None
    since: float  # simulated time of the last transition


def _tasking_steps(order: dict[str, Any]) -> list[Step]:
    t0 = float(order["created"])
    events = order.get("events", {})
    first = "FEASIBILITY_WAITING_UPLOAD" if order["feasibilityRequired"] else "QUOTATION_WAITING_UPLOAD"
    steps: list[Step] = [
        (t0, "CREATED", first),
        (t0 + 10 * MINUTE, "BEING_PLACED", first),
        (t0 + PLACED_AFTER, "PLACED", first),
    ]
    if order["feasibilityRequired"]:
        steps.append((t0 + FEASIBILITY_UPLOAD_AFTER, "PLACED", "FEASIBILITY_WAITING_RESPONSE"))
        decided = events.get("feasibility")
        if decided is None:
            return steps
        base = float(decided["at"])
        steps.append((base, "PLACED", "QUOTATION_WAITING_UPLOAD"))
    else:
        base = t0 + PLACED_AFTER
    steps.append((base + QUOTATION_UPLOAD_AFTER, "PLACED", "QUOTATION_WAITING_RESPONSE"))
    quotation = events.get("quotation")
    if quotation is None:
        return steps
    at = float(quotation["at"])
    if quotation["decision"] == "REJECTED":
        steps.append((at, "FAILED_PERMANENTLY", "QUOTATION_REJECTED"))
        return steps
    start = at + FULFILMENT_START_AFTER
    steps += [
        (at, "PLACED", "QUOTATION_ACCEPTED"),
        (start, "BEING_FULFILLED", "QUOTATION_ACCEPTED"),
        (start + FULFILMENT_DURATION, "FULFILLED", "QUOTATION_ACCEPTED"),
    ]
    return steps


def interruptions(order: dict[str, Any]) -> list[tuple[float, str]]:
    """Client cancellations and forced failures, in time order."""
    events = order.get("events", {})
    found = [(float(e["at"]), str(e["status"])) for e in events.get("failures", [])]
    if "canceled" in events:
        found.append((float(events["canceled"]), "CANCELED"))
    return sorted(found)


def steps(order: dict[str, Any]) -> list[Step]:
    if order["type"] == "ARCHIVE":
        planned: list[Step] = [(float(order["created"]) + offset, status, None) for offset, status in ARCHIVE_STEPS]
    else:
        planned = _tasking_steps(order)
    for at, status in interruptions(order):
        kept = [s for s in planned if s[0] < at]
        sub = kept[-1][2] if kept else None
        planned = [*kept, (at, status, sub)]
    return planned


def state(order: dict[str, Any], now: float) -> State:
    reached = [s for s in steps(order) if s[0] <= now] or steps(order)[:1]
    at, status, sub = reached[-1]
    return State(status, sub, at)


def cut_off(order: dict[str, Any]) -> float:
    """When the planned lifecycle was interrupted (cancel or failure), else infinity."""
    found = interruptions(order)
    return found[0][0] if found else float("inf")


def study_uploaded_at(order: dict[str, Any]) -> float | None:
    """When the feasibility study appears (None if the order never gets one)."""
    if order["type"] != "TASKING" or not order["feasibilityRequired"]:
        return None
    at = float(order["created"]) + FEASIBILITY_UPLOAD_AFTER
    return at if at < cut_off(order) else None


def quotation_uploaded_at(order: dict[str, Any]) -> float | None:
    if order["type"] != "TASKING":
        return None
    events = order.get("events", {})
    if order["feasibilityRequired"]:
        decided = events.get("feasibility")
        if decided is None:
            return None
        at = float(decided["at"]) + QUOTATION_UPLOAD_AFTER
    else:
        at = float(order["created"]) + PLACED_AFTER + QUOTATION_UPLOAD_AFTER
    return at if at < cut_off(order) else None
