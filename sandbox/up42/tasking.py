"""UP42 tasking: feasibility studies, quotations and coverage
(``/v2/tasking/feasibility-studies``, ``/v2/tasking/quotation``,
``/v2/coverage/orders/{id}``, as the SDK calls them).

Studies and quotations are views of the order they belong to (``lifecycle`` says when
each appears); a decision is stored on the order. Shapes follow
sdk-fixtures/get_feasibility_*.json and get_quotations_*.json, listed in Spring pages.
Deciding twice, or on a cancelled or failed order, is a 409 in the v2 error shape (the
docs allow a decision only while ``NOT_DECIDED``; the status code is the sandbox's choice).

The quotation's price is decided when the quotation is uploaded, not at placement: UP42's
"Place an order" tasking guide ("Feasibility evaluation") says support classifies the
operation as easy or difficult and then quotes "the final price". The sandbox's reading:
acquiring as requested with a cloud cover or incidence angle at most ``DIFFICULT_AT`` is
difficult and costs ``DIFFICULT_FACTOR`` times the estimate; the option that extends the
window (and any request above those limits) is easy and costs the estimate.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request

from .. import spring
from ..httputil import BodyError, read_json
from . import data, lifecycle
from .auth import Principal
from .errors import Up42Error
from .service import ORDER, Up42, paging, stamp

OPTIONS = (
    "Option 1: acquire within the requested window",
    "Option 2: extend the acquisition window by 30 days to reach the requested cloud cover",
)
SORTABLE = ("createdAt", "updatedAt", "decision")
LABELS = {"feasibility": "Feasibility study", "quotation": "Quotation"}
DIFFICULT_AT = {"maxCloudCover": 10, "maxIncidenceAngle": 10}
DIFFICULT_FACTOR = 1.5
View = Callable[[dict[str, Any], float], "dict[str, Any] | None"]


def study_of(doc: dict[str, Any], now: float) -> dict[str, Any] | None:
    uploaded = lifecycle.study_uploaded_at(doc)
    if uploaded is None or uploaded > now:
        return None
    study_id = data.stable_id("feasibility", doc["id"])
    options = [
        {
            "id": data.stable_id("feasibility-option", doc["id"], str(n)),
            "createdAt": stamp(uploaded),
            "updatedAt": stamp(uploaded),
            "studyId": study_id,
            "description": text,
        }
        for n, text in enumerate(OPTIONS)
    ]
    decided = doc.get("events", {}).get("feasibility")
    chosen = next((o for o in options if decided and o["id"] == decided["optionId"]), None)
    return {
        "id": study_id,
        "createdAt": stamp(uploaded),
        "updatedAt": stamp(float(decided["at"])) if decided else stamp(uploaded),
        "accountId": doc["accountId"],
        "workspaceId": doc["workspaceId"],
        "orderId": doc["id"],
        "type": "MANUAL",
        "options": options,
        "decision": "ACCEPTED" if decided else "NOT_DECIDED",
        "decisionById": doc["workspaceId"] if decided else None,
        "decisionByType": "USER" if decided else None,
        "decisionAt": stamp(float(decided["at"])) if decided else None,
        "decisionOption": chosen,
    }


def difficult(doc: dict[str, Any]) -> bool:
    """Is acquiring this order as requested difficult (see the module's docstring)?"""
    decided = doc.get("events", {}).get("feasibility")
    if decided and decided["optionId"] == data.stable_id("feasibility-option", doc["id"], "1"):
        return False  # the option that extends the acquisition window
    details = doc.get("orderDetails", {})
    return any(
        isinstance(details.get(key), (int, float)) and details[key] <= limit for key, limit in DIFFICULT_AT.items()
    )


def quoted_credits(doc: dict[str, Any]) -> int:
    """The final price of a tasking order, known once its quotation is uploaded."""
    credits = int(doc["credits"])
    return math.ceil(credits * DIFFICULT_FACTOR) if difficult(doc) else credits


def quotation_of(doc: dict[str, Any], now: float) -> dict[str, Any] | None:
    uploaded = lifecycle.quotation_uploaded_at(doc)
    if uploaded is None or uploaded > now:
        return None
    decided = doc.get("events", {}).get("quotation")
    return {
        "id": data.stable_id("quotation", doc["id"]),
        "createdAt": stamp(uploaded),
        "updatedAt": stamp(float(decided["at"])) if decided else stamp(uploaded),
        "accountId": doc["accountId"],
        "workspaceId": doc["workspaceId"],
        "orderId": doc["id"],
        "creditsPrice": quoted_credits(doc),
        "decision": decided["decision"] if decided else "NOT_DECIDED",
        "decisionById": doc["workspaceId"] if decided else None,
        "decisionByType": "USER" if decided else None,
        "decisionAt": stamp(float(decided["at"])) if decided else None,
    }


def router(up42: Up42) -> APIRouter:
    api = APIRouter()

    def tasking_docs(principal: Principal, request: Request) -> list[dict[str, Any]]:
        workspace = up42.check_workspace(principal, request.query_params.get("workspaceId"))
        return up42.store.list(ORDER, lambda d: d["workspaceId"] == workspace and d["type"] == "TASKING")

    def listing(request: Request, views: list[dict[str, Any]], decisions: tuple[str, ...]) -> dict[str, Any]:
        query = request.query_params
        number, size, field, descending = paging(query, SORTABLE, "createdAt,desc", default_size=10)
        wanted = {k: query.getlist(k) for k in ("id", "orderId", "decision") if query.getlist(k)}
        bad = [d for d in wanted.get("decision", []) if d not in decisions]
        if bad:
            raise Up42Error(400, f"Invalid decision value(s): {', '.join(bad)}; allowed: {', '.join(decisions)}")
        kept = [v for v in views if all(v[k] in values for k, values in wanted.items())]
        return spring.page(spring.sort_docs(kept, lambda v: v[field], descending), number, size)

    async def decision_body(request: Request) -> dict[str, Any]:
        try:
            body = await read_json(request)
        except BodyError as exc:
            raise Up42Error(400, str(exc)) from None
        if not isinstance(body, dict):
            raise Up42Error(400, "A JSON object is expected")
        return body

    def owning_order(principal: Principal, kind: str, view_id: str) -> dict[str, Any]:
        mine = up42.store.list(ORDER, lambda d: d["workspaceId"] == principal.workspace_id and d["type"] == "TASKING")
        for doc in mine:
            if data.stable_id(kind, doc["id"]) == view_id:
                return doc
        raise Up42Error(404, f"{LABELS[kind]} with id {view_id} not found")

    def decide(
        principal: Principal,
        kind: str,
        view_id: str,
        view_of: View,
        apply: Callable[[dict[str, Any], dict[str, Any]], None],
    ) -> dict[str, Any]:
        """Decide a study or quotation: only while NOT_DECIDED and while its order is alive."""
        with up42.store.transaction():
            doc = owning_order(principal, kind, view_id)
            view = view_of(doc, up42.now())
            if view is None:
                raise Up42Error(404, f"{LABELS[kind]} with id {view_id} not found")
            if view["decision"] != "NOT_DECIDED":
                raise Up42Error(
                    409,
                    f"{LABELS[kind]} {view_id} is already decided ({view['decision']}); "
                    "only NOT_DECIDED ones can be decided",
                )
            current = lifecycle.state(doc, up42.now())
            if current.status in ("CANCELED", "FAILED_PERMANENTLY", "PLACEMENT_FAILED", "FAILED"):
                raise Up42Error(409, f"Order {doc['id']} is {current.status}; its tasking can no longer be decided")
            apply(doc, view)
            up42.touch(doc)
            up42.store.put(ORDER, doc["id"], doc)
        return view_of(doc, up42.now()) or {}

    @api.get("/tasking/feasibility-studies")
    async def list_studies(request: Request) -> dict[str, Any]:
        principal = up42.auth.principal(request)
        now = up42.now()
        views = [s for s in (study_of(d, now) for d in tasking_docs(principal, request)) if s is not None]
        return listing(request, views, ("NOT_DECIDED", "ACCEPTED"))

    @api.patch("/tasking/feasibility-studies/{study_id}")
    async def decide_study(study_id: str, request: Request) -> dict[str, Any]:
        principal = up42.auth.principal(request)
        body = await decision_body(request)
        option = body.get("acceptedOptionId")
        if set(body) != {"acceptedOptionId"} or not isinstance(option, str):
            raise Up42Error(400, 'The body must be {"acceptedOptionId": "<option id>"}')

        def accept(doc: dict[str, Any], study: dict[str, Any]) -> None:
            if option not in {o["id"] for o in study["options"]}:
                raise Up42Error(
                    400,
                    f"Option {option} is not an option of feasibility study {study_id}",
                    {"options": [o["id"] for o in study["options"]]},
                )
            doc.setdefault("events", {})["feasibility"] = {"at": up42.now(), "optionId": option}

        return decide(principal, "feasibility", study_id, study_of, accept)

    @api.get("/tasking/quotation")
    async def list_quotations(request: Request) -> dict[str, Any]:
        principal = up42.auth.principal(request)
        now = up42.now()
        views = [q for q in (quotation_of(d, now) for d in tasking_docs(principal, request)) if q is not None]
        return listing(request, views, ("NOT_DECIDED", "ACCEPTED", "REJECTED"))

    @api.patch("/tasking/quotation/{quotation_id}")
    async def decide_quotation(quotation_id: str, request: Request) -> dict[str, Any]:
        principal = up42.auth.principal(request)
        body = await decision_body(request)
        decision = body.get("decision")
        if set(body) != {"decision"} or decision not in ("ACCEPTED", "REJECTED"):
            raise Up42Error(400, 'The body must be {"decision": "ACCEPTED" | "REJECTED"}')

        def record(doc: dict[str, Any], _quotation: dict[str, Any]) -> None:
            doc.setdefault("events", {})["quotation"] = {"at": up42.now(), "decision": decision}

        return decide(principal, "quotation", quotation_id, quotation_of, record)

    @api.get("/coverage/orders/{order_id}")
    async def coverage(order_id: str, request: Request) -> dict[str, Any]:
        principal = up42.auth.principal(request)
        doc = up42.order_doc(principal, order_id)
        if doc["type"] != "TASKING":
            raise Up42Error(400, f"Order {order_id} is an archive order; coverage exists for tasking orders only")
        done = lifecycle.state(doc, up42.now()).status == "FULFILLED"
        area = round(float(doc["areaKm2"]), 2)
        full = {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": doc["deliveryGeometry"], "properties": {}}],
        }
        empty: dict[str, Any] = {"type": "FeatureCollection", "features": []}
        return {
            "covered": {
                "sqKmArea": area if done else 0.0,
                "percentage": 100.0 if done else 0.0,
                "geometry": full if done else empty,
            },
            "remainder": {
                "sqKmArea": 0.0 if done else area,
                "percentage": 0.0 if done else 100.0,
                "geometry": empty if done else full,
            },
        }

    return api
