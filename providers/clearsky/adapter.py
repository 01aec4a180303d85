"""ClearSKY Vision adapter: grid, AI models, estimate, place, orders, cancel, deliveries.

Written from ClearSKY's "Order Data" and "Create an Order in the Dashboard" guides and
its API reference: ``x-api-key`` auth, the
``{Succeeded, Error, Data}`` envelope read case-insensitively (see
:mod:`providers.clearsky.wire`), EUR order credits.

Placement and idempotency: ClearSKY has no idempotency key and its order body has no
client reference field (docs-examples.json ``order_estimate_request``/``task_order_dto``).
So :meth:`ClearSky.place` snapshots the matching orders that exist before the first send
and, when an answer is lost, :meth:`ClearSky.find_placed` looks for a *new* order with
exactly the same model, constellations, dates, frequency, storage, API requests and
geometry (or tile set). Limits, said honestly: within one session this is exact; after a
crash (no snapshot) the newest identical order is taken, which is wrong only if the user
placed an identical order elsewhere in between; and it relies on the order list showing
a committed order at once.

Cancellation (ClearSKY's "Order Data" guide, "Cancellation Rules"): an order in Review is
cancelled completely; a recurring order (no end date) can be stopped at any time, the
current month completes and it does not renew; nothing else can be cancelled.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Optional

import httpx

from ...core import errors
from ...core.credentials import Credentials
from ...core.models import (
    AccountInfo,
    Asset,
    CancelPreview,
    CellLevel,
    ClearSkySpec,
    Estimate,
    GeoJSON,
    GridCell,
    ImageryModel,
    Lifecycle,
    Money,
    Order,
    OrderFilter,
    OrderSpec,
    PlacementResult,
)
from ...core.ports import Cancelled, Progress, never_cancelled
from ...core.retry import RetryPolicy
from ..http.auth import ApiKeyHeader
from ..http.session import HttpSession, write_with_lookup
from ..wire import as_decimal
from . import wire
from .assets import order_assets


class ClearSky:
    """Implements Provider, SupportsGrid, SupportsImageryModels, SupportsEstimate,
    SupportsPlace, SupportsOrders and SupportsDeliveries."""

    id = "clearsky"
    title = "ClearSKY Vision"

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
            raise errors.InputError("No ClearSKY API key is set. Add it in Settings > Options > Nadir.")
        self._base = urls.get("api", "https://api.clearsky.vision").rstrip("/")
        self._client = client
        self._sleep = sleep
        self._http = HttpSession(
            self.id,
            client,
            ApiKeyHeader("x-api-key", credentials.secret),
            policy,
            sleep=sleep,
            error_parser=wire.error_parser,
            auth_origins=[self._base],
            title=self.title,
        )
        self._before: dict[str, frozenset[str]] = {}

    def __repr__(self) -> str:
        return f"ClearSky({self._base!r})"

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------------ plumbing
    def _url(self, path: str) -> str:
        return f"{self._base}{path}"

    def _data(self, method: str, path: str, *, endpoint: str, **kwargs: Any) -> Any:
        """Call and unwrap the envelope; ``Succeeded: false`` inside a 2xx is an error too."""
        body = self._http.json(method, self._url(path), endpoint=endpoint, **kwargs)
        if not isinstance(body, Mapping):
            raise self._http.invalid(endpoint, 200, "a body that is not the ClearSKY envelope")
        succeeded = wire.get(body, "Succeeded")
        if succeeded is False:
            error = wire.get(body, "Error")
            message = str(wire.get(error, "Message", default="") or "the request failed")
            code = str(wire.get(error, "Code", default="") or "")
            raise self._envelope_error(endpoint, message, code)
        return wire.get(body, "Data", default={})

    def _envelope_error(self, endpoint: str, message: str, code: str) -> errors.ProviderError:
        if code == "994":
            return errors.PaymentRequired(
                f"ClearSKY Vision: not enough processing credits for {endpoint} ({message}). Top up the "
                f"processing credits in the ClearSKY dashboard.",
                reason="insufficient_processing_credits",
                billing_mode="processing credits",
                provider=self.id,
                endpoint=endpoint,
                status=400,
            )
        return errors.ProviderRejected(
            f"ClearSKY Vision rejected the request ({endpoint}): {message}.",
            provider=self.id,
            endpoint=endpoint,
            status=200,
            code=code,
        )

    def _mapped(self, exc: errors.ProviderRejected) -> errors.ProviderError:
        """400 with code 994 (insufficient credits) is a payment problem, not a bad request."""
        if exc.code == "994":
            return self._envelope_error(exc.endpoint, exc.message, exc.code)
        return exc

    def _call(self, method: str, path: str, *, endpoint: str, **kwargs: Any) -> Any:
        try:
            return self._data(method, path, endpoint=endpoint, **kwargs)
        except errors.ProviderRejected as exc:
            mapped = self._mapped(exc)
            if mapped is exc:
                raise
            raise mapped from None

    # ------------------------------------------------------------------ account
    def account(self) -> AccountInfo:
        try:
            data = self._call("GET", "/api/account/info", endpoint="account.info")
        except errors.NotFound:  # the 2024 API generation
            data = self._call("GET", "/api/apikey/info", endpoint="apikey.info")
        balances: list[Money] = []
        for key, currency in (("EuroCreditAmount", "EUR"), ("EuroBalance", "EUR"), ("CreditAmount", "credits")):
            amount = as_decimal(wire.get(data, key))
            if amount is not None and not any(b.currency == currency for b in balances):
                balances.append(Money(amount=amount, currency=currency))
        extra = {
            k: wire.get(data, k)
            for k in (
                "TenantId",
                "MaxConcurrentConnections",
                "MaxCompositeAreaKm2",
                "MaxTotalBands",
                "EuroOverdraftLimit",
                "EuroBalanceCap",
                "CreditLimit",
                "EuroCreditLimit",
                "CurrentMonthCosts",
                "NextMonthCosts",
            )
            if wire.get(data, k) is not None
        }
        name = wire.get(data, "Email", "ContactInfo", "TenantId", default="")
        return AccountInfo(provider=self.id, name=str(name or ""), balances=tuple(balances), extra=extra)

    # ------------------------------------------------------------------ models and grid
    def imagery_models(self) -> list[ImageryModel]:
        return wire.imagery_models(self._call("GET", "/api/tasking/models", endpoint="tasking.models"))

    def _search_tiles(self, body: dict[str, Any], level: CellLevel, parent: Optional[str] = None) -> list[GridCell]:
        data = self._call("POST", "/api/tasking/search/tiles", endpoint="tasking.search.tiles", json=body)
        found, bare = wire.cells(data, default_level=level, parent=parent)
        if bare:  # minitiles listed by GUID only: fetch their footprints
            known = {c.guid for c in found}
            missing = [g for g in bare if g not in known]
            if missing:
                more = self._call(
                    "POST",
                    "/api/tasking/search/tiles",
                    endpoint="tasking.search.tiles",
                    json={"MiniTileGuids": missing},
                )
                extra, _ = wire.cells(more, default_level=CellLevel.MINITILE, parent=parent)
                found += extra
        return found

    def tiles(self, geometry: GeoJSON) -> list[GridCell]:
        return self._search_tiles({"Wkt": wire.plain_wkt(geometry)}, CellLevel.TILE)

    def minitiles(self, tile_guid: str) -> list[GridCell]:
        cells = self._search_tiles({"TileGuidForMiniTiles": tile_guid}, CellLevel.MINITILE, parent=tile_guid)
        return [
            c
            if c.level is CellLevel.MINITILE
            else c.model_copy(update={"level": CellLevel.MINITILE, "parent": tile_guid})
            for c in cells
            if c.guid != tile_guid
        ]

    def cells(self, tile_guids: Sequence[str] = (), minitile_guids: Sequence[str] = ()) -> list[GridCell]:
        result: list[GridCell] = []
        if tile_guids:
            result += self._search_tiles({"TileGuids": list(tile_guids)}, CellLevel.TILE)
        if minitile_guids:
            result += self._search_tiles({"MiniTileGuids": list(minitile_guids)}, CellLevel.MINITILE)
        return result

    # ------------------------------------------------------------------ estimate and place
    @staticmethod
    def _spec(spec: OrderSpec) -> ClearSkySpec:
        if not isinstance(spec, ClearSkySpec):
            raise errors.InputError("ClearSKY Vision takes composite or tile orders only.")
        return spec

    def estimate(self, spec: OrderSpec) -> Estimate:
        body = wire.order_body(self._spec(spec), create=False)
        data = self._call("POST", "/api/tasking/orders/estimate", endpoint="orders.estimate", json=body)
        result = wire.estimate(data, datetime.now(timezone.utc), recurring=self._spec(spec).recurring)
        if result is None:
            raise self._http.invalid("orders.estimate", 200, "an estimate without a cost")
        return result

    def place(self, spec: OrderSpec, reference: str) -> PlacementResult:
        order_spec = self._spec(spec)
        body = wire.order_body(order_spec, create=True)
        if reference in self._before:  # sent before by this adapter (double click, retry): never twice
            again = self.find_placed(order_spec, reference)
            if again is not None:
                return again
        else:
            self._before[reference] = frozenset(o.id for o in self._list() if wire.matches(order_spec, o))

        def send() -> PlacementResult:
            data = self._call("POST", "/api/tasking/orders", endpoint="orders.place", json=body, write=True)
            placed = wire.order(data) or next(iter(wire.orders(data)), None)
            if placed is None:
                raise self._http.invalid("orders.place", 200, "a placed order without its GUID")
            return PlacementResult(orders=(placed,))

        def lookup() -> Optional[PlacementResult]:
            return self.find_placed(order_spec, reference)

        return write_with_lookup(send, lookup, policy=self._http.policy, sleep=self._sleep)

    def find_placed(self, spec: OrderSpec, reference: str) -> Optional[PlacementResult]:
        order_spec = self._spec(spec)
        before = self._before.get(reference, frozenset())
        candidates = [o for o in self._list() if wire.matches(order_spec, o) and o.id not in before]
        if not candidates:
            return None
        newest = max(candidates, key=lambda o: o.created_at or datetime.min.replace(tzinfo=timezone.utc))
        return PlacementResult(orders=(newest,))

    # ------------------------------------------------------------------ orders
    def _list(self, include_expired: bool = True) -> list[Order]:
        data = self._call(
            "GET",
            "/api/tasking/orders",
            endpoint="orders.list",
            params={"recurringOnly": "false", "getExpired": "true" if include_expired else "false"},
        )
        return wire.orders(data)

    def get_order(self, order_id: str) -> Order:
        try:
            data = self._call(
                "POST", "/api/tasking/orders/details", endpoint="orders.details", json={"Guids": [order_id]}
            )
            found = [o for o in wire.orders(data) if o.id == order_id]
        except errors.NotFound:
            found = []
        except errors.ProviderRejected as exc:
            if exc.status != 405:
                raise
            found = [o for o in self._list() if o.id == order_id]  # details by GET is not documented further
        if not found:
            raise errors.NotFound(
                f"ClearSKY Vision has no order {order_id}.", provider=self.id, endpoint="orders.details", status=404
            )
        return found[0]

    def list_orders(
        self, order_filter: Optional[OrderFilter] = None, cancelled: Cancelled = never_cancelled
    ) -> Iterator[Order]:
        """ClearSKY lists all orders at once (no paging); filters apply locally."""
        wanted = order_filter or OrderFilter()
        if cancelled():
            raise errors.OperationCancelled()
        statuses = {s.lower() for s in wanted.statuses}
        kinds = {k.lower() for k in wanted.kinds}
        for item in self._list(include_expired=wanted.include_expired):
            if cancelled():
                raise errors.OperationCancelled()
            if statuses and item.raw_status.lower() not in statuses:
                continue
            if kinds and item.kind.value not in kinds:
                continue
            yield item

    def cancel_preview(self, order: Order) -> CancelPreview:
        if order.status in (Lifecycle.CANCELLED, Lifecycle.COMPLETED, Lifecycle.FAILED):
            return CancelPreview(
                allowed=False,
                effect=f"The order is already {order.raw_status or order.status.value}; there is nothing to cancel.",
            )
        if order.raw_status.lower() == "review":
            return CancelPreview(
                allowed=True,
                effect="The order is still in review: it is cancelled completely and nothing is billed for it.",
            )
        if order.recurring and order.cancellation_date is not None:
            return CancelPreview(
                allowed=False,
                effect=f"The order is already cancelled: it completes on "
                f"{order.cancellation_date.isoformat()} and does not renew.",
            )
        if order.recurring:
            until = f" (cancel before 00:00 UTC on {_next_month_first(date.today()).isoformat()})"
            return CancelPreview(
                allowed=True, effect="The current month completes and the order will not renew" + until + "."
            )
        return CancelPreview(
            allowed=False,
            effect=f"ClearSKY cancels an order only while it is in review, or stops a recurring order from "
            f"renewing. This order is {order.raw_status or 'past review'} and has a fixed end date "
            f"({order.end.isoformat() if order.end else 'unknown'}), so it cannot be cancelled.",
        )

    def cancel_order(self, order_id: str) -> Order:
        preview = self.cancel_preview(self.get_order(order_id))
        if not preview.allowed:
            raise errors.ProviderRejected(preview.effect, provider=self.id, endpoint="orders.cancel")
        try:
            self._http.request(
                "DELETE",
                self._url("/api/tasking/orders/cancel"),
                endpoint="orders.cancel",
                params={"taskOrderGuid": order_id},
            )
        except errors.ProviderRejected:
            after = self.get_order(order_id)
            if after.status is Lifecycle.CANCELLED:
                return after  # a retried cancel that had already taken effect
            raise
        return self.get_order(order_id)

    # ------------------------------------------------------------------ deliveries
    def assets(self, order_id: str) -> list[Asset]:
        return order_assets(self, self.get_order(order_id))

    def download(
        self,
        asset: Asset,
        destination: Path,
        progress: Optional[Progress] = None,
        cancelled: Cancelled = never_cancelled,
    ) -> Path:
        """POST the retrieval request of ``asset`` and save the GeoTIFF it answers with."""
        request = asset.extra.get("request")
        if not isinstance(request, Mapping):
            raise errors.InputError(f"The ClearSKY asset {asset.id} has no retrieval request.")
        try:
            return self._http.download(
                asset.href,
                destination,
                endpoint="process." + str(asset.extra.get("kind")),
                method="POST",
                json=dict(request),
                progress=progress,
                cancelled=cancelled,
                expected_size=asset.size,
                checksum=asset.checksum,
            )
        except errors.ProviderRejected as exc:
            mapped = self._mapped(exc)
            if mapped is exc:
                raise
            raise mapped from None

    # used by assets.order_assets (its AssetSource)
    def data(self, method: str, path: str, *, endpoint: str, **kwargs: Any) -> Any:
        return self._call(method, path, endpoint=endpoint, **kwargs)

    def url(self, path: str) -> str:
        return self._url(path)


def _next_month_first(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)
