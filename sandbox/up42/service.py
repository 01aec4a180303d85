"""State shared by the UP42 routers: the sandbox context, auth, orders in SQLite."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .. import spring
from ..clock import iso
from . import data, lifecycle
from .auth import Auth, Principal
from .errors import Up42Error

if TYPE_CHECKING:
    from ..app import SandboxContext

ORDER = "up42.order"
SYSTEM = {"id": "system", "type": "INTERNAL"}  # updatedBy of status changes (fixture order_archive_info.json)
ACCESS = "up42.access"


def stamp(ts: float) -> str:
    """UP42 timestamps carry microseconds (``2023-03-17T08:53:18.272834Z`` in the fixtures)."""
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def paging(
    query: Any, sortable: tuple[str, ...], default_sort: str, default_size: int = 20
) -> tuple[int, int, str, bool]:
    """Spring paging parameters, or a 400 in the v2 shape."""
    try:
        return spring.parse_paging(query, sortable, default_sort, default_size)
    except spring.PagingError as exc:
        raise Up42Error(400, str(exc)) from None


class Up42:
    def __init__(self, ctx: SandboxContext) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.auth = Auth(ctx.store)

    def now(self) -> float:
        return self.ctx.clock.timestamp()

    def iso_now(self) -> str:
        return iso(self.ctx.clock.now())

    # -- workspaces ------------------------------------------------------------------------

    @staticmethod
    def check_workspace(principal: Principal, workspace_id: str | None) -> str:
        """The workspace a request is about; 403 for someone else's workspace."""
        if workspace_id in (None, ""):
            return principal.workspace_id
        if workspace_id != principal.workspace_id:
            raise Up42Error(403, f"Access denied: you are not a member of workspace {workspace_id}")
        return workspace_id

    # -- access requests (the tasking guide's "Request Access") --------------------------

    def access_status(self, workspace_id: str, collection_name: str) -> str | None:
        doc = self.store.get(ACCESS, f"{workspace_id}/{collection_name}")
        if doc is not None:
            return str(doc["status"])
        return data.INITIAL_ACCESS.get((workspace_id, collection_name))

    def access_requests(self, workspace_id: str) -> list[dict[str, Any]]:
        names = {c for (w, c) in data.INITIAL_ACCESS if w == workspace_id}
        names |= {d["collectionName"] for d in self.store.list(ACCESS, lambda d: d["workspaceId"] == workspace_id)}
        out = []
        for name in sorted(names):
            doc = self.store.get(ACCESS, f"{workspace_id}/{name}") or {}
            created = doc.get("createdAt", "2024-01-08T09:00:00.000000Z")
            out.append(
                {
                    "id": data.stable_id("access-request", workspace_id, name),
                    "collectionName": name,
                    "workspaceId": workspace_id,
                    "status": self.access_status(workspace_id, name),
                    "createdAt": created,
                    "updatedAt": doc.get("updatedAt", created),
                }
            )
        return out

    def set_access(self, workspace_id: str, collection_name: str, status: str) -> dict[str, Any]:
        key = f"{workspace_id}/{collection_name}"
        now = stamp(self.now())
        previous = self.store.get(ACCESS, key) or {"createdAt": now}
        self.store.put(
            ACCESS,
            key,
            {
                "workspaceId": workspace_id,
                "collectionName": collection_name,
                "status": status,
                "createdAt": previous["createdAt"],
                "updatedAt": now,
            },
        )
        return {"workspaceId": workspace_id, "collectionName": collection_name, "status": status}

    # -- orders ------------------------------------------------------------------------------

    def order_doc(self, principal: Principal, order_id: str) -> dict[str, Any]:
        doc = self.store.get(ORDER, order_id)
        # another workspace's order is reported as missing, not as forbidden
        if doc is None or doc["workspaceId"] != principal.workspace_id:
            raise Up42Error(404, f"Order with id {order_id} not found")
        return doc

    def render(self, doc: dict[str, Any], now: float | None = None) -> dict[str, Any]:
        """The v2 order object (sdk-test-payloads.json order_get_response_*; fixture order_archive_info.json)."""
        now = self.now() if now is None else now
        current = lifecycle.state(doc, now)
        details = dict(doc["orderDetails"])
        if doc["type"] == "TASKING":
            details["subStatus"] = current.sub_status
        client_change = float(doc.get("events", {}).get("clientChange", 0.0))
        updated = max(current.since, client_change if client_change <= now else 0.0)
        by_client = client_change >= current.since and client_change <= now
        return {
            "id": doc["id"],
            "displayName": doc["displayName"],
            "status": current.status,
            "workspaceId": doc["workspaceId"],
            "accountId": doc["accountId"],
            "type": doc["type"],
            "dataProductId": doc["dataProductId"],
            "tags": list(doc["tags"]),
            "createdAt": doc["createdAt"],
            "updatedAt": stamp(updated),
            "createdBy": {"id": doc["workspaceId"], "type": "USER"},
            "updatedBy": {"id": doc["workspaceId"], "type": "USER"} if by_client else SYSTEM,
            "orderDetails": details,
        }

    def touch(self, doc: dict[str, Any]) -> None:
        doc.setdefault("events", {})["clientChange"] = self.now()
