"""State shared by the Geopera operations: context, auth, billing, idempotency, orders.

Order status values: Geopera publishes no list. The sandbox uses the words of Geopera's
guide "Ordering archive imagery": an order is ``processing`` after placement ("status":
"processing" in the place example), then ``delivering``, then ``delivered`` ("When the order
is delivered, its imagery lands in your project as STAC items"); ``cancelled`` by
``orders.cancel``, ``failed`` when the provider fails it (sandbox admin switch). Timeline on
the sandbox clock: processing 30 min, delivering 30 min. "Policy-gated (only cancellable
states)": only ``processing`` can be cancelled; later states are a 409.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .auth import Auth, Principal
from .billing import Billing
from .errors import Problem
from .idempotency import Keys

if TYPE_CHECKING:
    from ..app import SandboxContext

ORDER = "geopera.order"
MINUTE = 60.0
STEPS = ((0.0, "processing"), (30 * MINUTE, "delivering"), (60 * MINUTE, "delivered"))
STATUSES = ("processing", "delivering", "delivered", "cancelled", "failed")
CANCELLABLE = ("processing",)


def stamp(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def status_of(order: dict[str, Any], now: float) -> tuple[str, float]:
    """(status, since) at ``now``."""
    created = float(order["created"])
    ended = order.get("ended")  # {"at", "status"}: cancelled or failed
    reached = [(created + offset, status) for offset, status in STEPS if created + offset <= now]
    if ended and float(ended["at"]) <= now:
        reached = [r for r in reached if r[0] < float(ended["at"])] + [(float(ended["at"]), str(ended["status"]))]
    at, status = reached[-1] if reached else (created, "processing")
    return status, at


class Geopera:
    def __init__(self, ctx: SandboxContext) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.auth = Auth(ctx.store)
        self.billing = Billing(ctx.store)
        self.keys = Keys(ctx.store)

    def now(self) -> float:
        return self.ctx.clock.timestamp()

    def order_doc(self, principal: Principal, order_id: str) -> dict[str, Any]:
        doc = self.store.get(ORDER, order_id)
        # docs errors page: 404 is "also used for cross-org resources"
        if doc is None or doc["orgId"] != principal.org:
            raise Problem(404, f"order {order_id} not found")
        return doc

    def render(self, doc: dict[str, Any], now: float | None = None) -> dict[str, Any]:
        now = self.now() if now is None else now
        status, since = status_of(doc, now)
        changed = float(doc.get("changed", 0.0))  # the client's last change (a cancellation)
        payment = dict(doc["payment"])
        if status == "delivered" and payment["status"] in ("reserved", "held"):
            payment["status"] = "captured"
        return {
            "id": doc["id"],
            "status": status,
            "orderType": "archive",
            "billingMode": payment["method"],
            "currency": "AUD",
            "totalAud": doc["totalAud"],
            "totalCredits": doc["totalCredits"],
            "groups": doc["groups"],
            "captures": doc["captures"],
            "projectId": doc["projectId"],
            "licenseType": doc["licenseType"],
            "splitByDate": doc["splitByDate"],
            "displayName": doc["displayName"],
            "tags": doc["tags"],
            "payment": payment,
            "createdAt": stamp(float(doc["created"])),
            "updatedAt": stamp(max(since, changed) if changed <= now else since),
        }
