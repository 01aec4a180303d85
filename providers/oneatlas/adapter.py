"""Airbus OneAtlas (Living Library) adapter: search, quicklooks, price, order, deliveries.

Written from the OneAtlas Data Guide and Airbus's Living Library OpenAPI. Four hosts
(URL roles ``auth``, ``search``, ``data``, ``access``). Auth: the API key is exchanged
for a token (form ``apikey``, ``grant_type=api_key``, ``client_id=IDP``); there is no
refresh token (``refresh_expires_in`` 0), so the key is exchanged again before expiry
and once after a 401.

Placement: OneAtlas has no idempotency key on prices or orders, but orders take ``tags`` and
the list filters by them, so each order carries a tag derived from Nadir's client reference
and a lost answer is resolved by looking the tag up before anything is sent again.

Cancel: the Airbus material has no cancel for a Living Library product order; the cancel
endpoints exist only for activities and Pay-Per-Order tasking items.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

import httpx
import shapely
from shapely.geometry import shape

from ...core import errors
from ...core.credentials import Credentials
from ...core.models import (
    AccountInfo,
    ArchiveSpec,
    Asset,
    CancelPreview,
    Capture,
    Estimate,
    Order,
    OrderFilter,
    OrderSpec,
    PlacementResult,
    SearchQuery,
)
from ...core.ports import Cancelled, Progress, never_cancelled
from ...core.provider_info import PROVIDERS
from ...core.retry import RetryPolicy
from ..http.auth import TokenGrant
from ..http.session import HttpSession, write_with_lookup
from ..wire import as_int, as_map
from . import wire

TOKEN_PATH = "/auth/realms/IDP/protocol/openid-connect/token"  # a URL path, not a secret  # noqa: S105  # nosec B105
#: Said wherever cancelling is offered: the Living Library API documents no cancellation of
#: product orders (its cancels are for delivery activities and Pay-Per-Order taskings).
NO_CANCEL = (
    "OneAtlas orders cannot be cancelled from Nadir: Airbus OneAtlas offers no way to cancel a "
    "Living Library product order through its API. To cancel this order, contact Airbus OneAtlas "
    "support."
)


class OneAtlas:
    """Implements Provider, SupportsArchiveSearch, SupportsEstimate, SupportsPlace,
    SupportsOrders and SupportsDeliveries."""

    id = "oneatlas"
    title = "Airbus OneAtlas"

    def __init__(
        self,
        urls: Mapping[str, str],
        credentials: Credentials,
        client: httpx.Client,
        *,
        policy: Optional[RetryPolicy] = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not credentials.secret:
            raise errors.InputError("No OneAtlas API key is set. Add it in Settings > Options > Nadir.")
        defaults = {role.key: role.default for role in PROVIDERS[self.id].url_roles}
        self.urls = {role: (urls.get(role) or default).rstrip("/") for role, default in defaults.items()}
        self._client = client
        self._sleep = sleep
        token_session = HttpSession(self.id, client, None, policy, sleep=sleep, title=self.title)
        self._token = TokenGrant(
            self.urls["auth"] + TOKEN_PATH,
            {"apikey": credentials.secret, "grant_type": "api_key", "client_id": "IDP"},
            token_session,
        )
        self._http = HttpSession(
            self.id,
            client,
            self._token,
            policy,
            sleep=sleep,
            title=self.title,
            error_parser=_error_parser,
            auth_origins=list(self.urls.values()),
        )
        self._workspace: Optional[str] = None

    def __repr__(self) -> str:
        return f"OneAtlas({self.urls['data']!r})"

    def close(self) -> None:
        self._client.close()

    def _json(self, method: str, role: str, path: str, *, endpoint: str, **kwargs: Any) -> Any:
        try:
            return self._http.json(method, self.urls[role] + path, endpoint=endpoint, **kwargs)
        except errors.ProviderRejected as exc:
            raise wire.explain_rejection(exc) from None

    # ------------------------------------------------------------------ account
    def account(self) -> AccountInfo:
        me = self._json("GET", "data", "/api/v1/me", endpoint="me")
        if not isinstance(me, Mapping):
            raise self._http.invalid("me", 200, "an account without a contract")
        contract = as_map(me.get("contract"))
        self._workspace = str(contract.get("workspaceId") or "") or None
        name = me.get("email") or me.get("username") or contract.get("name") or ""
        extra = {
            "workspaceId": self._workspace,
            "contractId": contract.get("id"),
            "roles": me.get("roles"),
            "services": me.get("services"),
        }
        return AccountInfo(provider=self.id, name=str(name), extra={k: v for k, v in extra.items() if v})

    def workspace_id(self) -> Optional[str]:
        """The customer's workspace (``/api/v1/me`` ``contract.workspaceId``), cached."""
        if self._workspace is None:
            self.account()
        return self._workspace

    # ------------------------------------------------------------------ search
    def _search_params(self, query: SearchQuery, page: int, size: int) -> dict[str, Any]:
        geometry = shape(query.geometry)
        start = query.start.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        end = query.end.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.999Z")
        params: dict[str, Any] = {
            "geometry": shapely.force_2d(geometry).wkt,
            "relation": "intersects",
            "acquisitionDate": f"[{start},{end}]",
            "itemsPerPage": size,
            "startPage": page,
            "sortBy": "-acquisitionDate",
        }
        if query.max_cloud is not None:
            params["cloudCover"] = f"[0,{query.max_cloud:g}]"
        if query.max_incidence is not None:
            params["incidenceAngle"] = f"[0,{query.max_incidence:g}]"
        if query.collections:
            params["constellation"] = ",".join(query.collections)
        if query.host:
            params["workspace"] = query.host
        return params

    def search(self, query: SearchQuery, cancelled: Cancelled = never_cancelled) -> Iterator[Capture]:
        """Opensearch pages (``startPage`` 1-based) as one iterator, newest first."""
        size = min(query.page_size, 100)
        page, yielded = 1, 0
        while True:
            if cancelled():
                raise errors.OperationCancelled()
            body = self._json(
                "GET",
                "search",
                "/api/v2/opensearch",
                endpoint="opensearch",
                params=self._search_params(query, page, size),
                cancelled=cancelled,
            )
            if not isinstance(body, Mapping) or not isinstance(body.get("features"), list):
                raise self._http.invalid("opensearch", 200, "a search answer without features")
            features = body["features"]
            for feature in features:
                if cancelled():
                    raise errors.OperationCancelled()
                item = wire.capture(feature)
                if item is None:
                    continue
                yield item
                yielded += 1
                if query.limit is not None and yielded >= query.limit:
                    return
            total = as_int(body.get("totalResults"))  # "100" read too
            seen = (page - 1) * size + len(features)
            if len(features) < size or (total is not None and seen >= total):
                return
            page += 1

    def stream(self, query: SearchQuery, cancelled: Cancelled = never_cancelled) -> Iterator[Capture]:
        """OneAtlas has no streamed search (only the paged opensearch): the paged search."""
        return self.search(query, cancelled)

    def quicklook(self, capture: Capture) -> bytes:
        url = capture.quicklook_url or f"{self.urls['access']}/api/v1/items/{capture.id}/quicklook"
        return self._http.request("GET", url, endpoint="quicklook").content

    # ------------------------------------------------------------------ price and order
    @staticmethod
    def _spec(spec: OrderSpec) -> ArchiveSpec:
        if not isinstance(spec, ArchiveSpec):
            raise errors.InputError("Airbus OneAtlas takes archive (Living Library) orders only.")
        return spec

    def estimate(self, spec: OrderSpec) -> Estimate:
        body = wire.order_body(self._spec(spec))
        answer = self._json("POST", "data", "/api/v1/prices", endpoint="prices", json=body)
        result = wire.estimate(answer, datetime.now(timezone.utc))
        if result is None:
            raise self._http.invalid("prices", 200, "a price answer without a price")
        return result

    def place(self, spec: OrderSpec, reference: str) -> PlacementResult:
        body = wire.order_body(self._spec(spec), reference)
        earlier = self.find_placed(spec, reference)  # a retry, double click or restart after a crash
        if earlier is not None:
            return earlier

        def send() -> PlacementResult:
            answer = self._json("POST", "data", "/api/v1/orders", endpoint="orders.place", json=body, write=True)
            placed = wire.order(answer)
            if placed is None:
                raise self._http.invalid("orders.place", 201, "a placed order without its id")
            return PlacementResult(orders=(placed,))

        return write_with_lookup(
            send, lambda: self.find_placed(spec, reference), policy=self._http.policy, sleep=self._sleep
        )

    def find_placed(self, spec: OrderSpec, reference: str) -> Optional[PlacementResult]:
        tag = wire.reference_tag(reference)
        found = [o for o in self.list_orders(OrderFilter(reference=tag)) if tag in o.extra.get("tags", [])]
        return PlacementResult(orders=(found[0],)) if found else None

    # ------------------------------------------------------------------ orders
    def get_order(self, order_id: str) -> Order:
        answer = self._json("GET", "data", f"/api/v1/orders/{order_id}", endpoint="orders.get")
        found = wire.order(answer)
        if found is None:
            raise self._http.invalid("orders.get", 200, "an order without an id")
        return found

    def list_orders(
        self, order_filter: Optional[OrderFilter] = None, cancelled: Cancelled = never_cancelled
    ) -> Iterator[Order]:
        """Pages of ``/api/v1/orders`` (``page`` 1-based, ``itemsPerPage``); the server filters
        one status and one kind per call, so several are queried one after the other."""
        wanted = order_filter or OrderFilter()
        for status in wanted.statuses or (None,):
            for kind in wanted.kinds or (None,):
                yield from self._pages(wanted, status, kind, cancelled)

    def _pages(
        self, wanted: OrderFilter, status: Optional[str], kind: Optional[str], cancelled: Cancelled
    ) -> Iterator[Order]:
        page = 1
        size = wanted.page_size
        while True:
            if cancelled():
                raise errors.OperationCancelled()
            params: dict[str, Any] = {"page": page, "itemsPerPage": size}
            if status:
                params["status"] = status
            if kind:
                params["kind"] = kind
            if wanted.reference:
                params["tags"] = wanted.reference
            items, total = wire.orders_page(
                self._json("GET", "data", "/api/v1/orders", endpoint="orders.list", params=params, cancelled=cancelled)
            )
            for item in items:
                if cancelled():
                    raise errors.OperationCancelled()
                yield item
            if len(items) < size or (total is not None and page * size >= total):
                return
            page += 1

    def cancel_preview(self, order: Order) -> CancelPreview:
        return CancelPreview(allowed=False, effect=NO_CANCEL)

    def cancel_order(self, order_id: str) -> Order:
        raise errors.NotSupported(NO_CANCEL)

    # ------------------------------------------------------------------ deliveries
    def assets(self, order_id: str) -> list[Asset]:
        return wire.assets(self.get_order(order_id), self.urls["access"])

    def download(
        self,
        asset: Asset,
        destination: Path,
        progress: Optional[Progress] = None,
        cancelled: Cancelled = never_cancelled,
    ) -> Path:
        return self._http.download(
            asset.href,
            destination,
            endpoint="items.download",
            progress=progress,
            cancelled=cancelled,
            expected_size=asset.size,
            checksum=asset.checksum,
            authenticate=asset.needs_auth,
        )


def _error_parser(response: httpx.Response) -> tuple[str, str]:
    """ApiError ``{message, hint, internalCode}``, Pay-Per-Order ``{errorCode, message}``,
    OAuth ``{error, error_description}``."""
    from ..http.envelopes import default_error_parser, safe_json

    body = safe_json(response)
    message, code = default_error_parser(response)
    if isinstance(body, Mapping):
        hint = body.get("hint")
        if hint and str(hint) not in message:
            message = f"{message} ({hint})" if message else str(hint)
        code = str(body.get("internalCode") or body.get("errorCode") or code or "")
    return message, code
