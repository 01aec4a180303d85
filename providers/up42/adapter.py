"""UP42 adapter: tasking and catalog (archive) orders in a workspace (UP42's API and its "Place an order" guide).

Auth: OAuth password grant at ``{auth}/realms/public/protocol/openid-connect/token`` with
the SDK's ``client_id=up42-sdk`` and ``scope=openid`` (up42-py ``up42/http/oauth.py``;
the docs' ``up42-api`` is the same realm's web client). The token is cached, renewed 30 s
before it expires (the SDK's ``expiry_offset``) and once after a 401. The workspace id is
the ``sub`` of ``userinfo`` (up42-py ``up42/base.py``).

Placement: UP42 has no idempotency key. Every order carries the
caller's reference as a tag; :meth:`Up42.place` first looks for orders with that tag, and
a send whose answer is lost is looked up by it before anything is sent again, so an
order is never placed twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

import httpx

from ...core import errors
from ...core.credentials import Credentials
from ...core.models import (
    AccountInfo,
    ArchiveSpec,
    Asset,
    CancelPreview,
    Capture,
    CaptureRef,
    DataProduct,
    Estimate,
    EstimateLine,
    FeasibilityStudy,
    ItemError,
    Lifecycle,
    Order,
    OrderFilter,
    OrderKind,
    OrderSpec,
    PlacementResult,
    Quotation,
    SearchQuery,
    SearchSource,
    TaskingSpec,
)
from ...core.ports import Cancelled, Progress, never_cancelled
from ...core.retry import RetryPolicy
from ..http.auth import TokenGrant, Unconfigured
from ..http.envelopes import default_error_parser, safe_json
from ..http.session import SETTINGS_HINT, HttpSession, write_with_lookup
from ..wire import read
from . import catalog
from . import models as m

LOGGER = logging.getLogger(__name__)

TOKEN_PATH = "/realms/public/protocol/openid-connect/token"  # a URL path, not a secret  # noqa: S105  # nosec B105
USERINFO_PATH = "/realms/public/protocol/openid-connect/userinfo"
#: up42-py ``up42/http/oauth.py`` AccountTokenRetriever (the docs say ``up42-api``; the SDK's is used).
CLIENT_ID = "up42-sdk"
PAGE_SIZE = 50


def error_parser(response: httpx.Response) -> tuple[str, str]:
    """UP42 error text: v2 ``{code, message, details}``, v1/catalog ``{data, error{...}}``,
    ``{error: "..."}`` (the SDK tests' 500 body); ``details`` appended when it says more."""
    message, code = default_error_parser(response)
    body = safe_json(response)
    inner = body.get("error") if isinstance(body, Mapping) and isinstance(body.get("error"), Mapping) else body
    details = inner.get("details") if isinstance(inner, Mapping) else None
    if isinstance(details, (str, list)) and details and str(details) not in message:
        text = "; ".join(str(d) for d in details) if isinstance(details, list) else details
        message = f"{message} ({text})" if message else text
    return message, code


class Up42:
    """UP42 adapter: estimate, place, tasking, catalog search, orders, deliveries."""

    id = m.PROVIDER
    title = "UP42"

    def __init__(
        self,
        urls: Mapping[str, str],
        credentials: Credentials,
        client: httpx.Client,
        *,
        policy: Optional[RetryPolicy] = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._api = urls["api"].rstrip("/")
        self._client = client
        self._auth_url = urls["auth"].rstrip("/")
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        common: dict[str, Any] = {
            "policy": self._policy,
            "sleep": sleep,
            "error_parser": error_parser,
            "title": self.title,
        }
        token_session = HttpSession(m.PROVIDER, client, None, **common)
        self.authenticator: Any
        if credentials.username and credentials.secret:
            form = {
                "grant_type": "password",
                "username": credentials.username,
                "password": credentials.secret,
                "client_id": credentials.extra.get("client_id", CLIENT_ID),
                "scope": "openid",
            }
            self.authenticator = TokenGrant(
                self._auth_url + TOKEN_PATH, form, token_session, expiry_margin=30.0, endpoint="token"
            )
        else:
            self.authenticator = Unconfigured(
                m.PROVIDER,
                f"No UP42 credentials are set. Choose an authentication configuration with your UP42 account "
                f"e-mail and password for UP42 in {SETTINGS_HINT}.",
            )
        self.session = HttpSession(
            m.PROVIDER, client, self.authenticator, auth_origins=[self._api, self._auth_url], **common
        )
        self._workspace: Optional[str] = None
        self._userinfo: Optional[Mapping[str, Any]] = None
        self._products: Optional[list[DataProduct]] = None

    def __repr__(self) -> str:
        return f"Up42(api={self._api!r})"

    def close(self) -> None:
        """Close the httpx client: the adapter owns the one the factory built for it
        (``toolbelt.connections.adapter_for``)."""
        self._client.close()

    # ------------------------------------------------------------------ account
    def _user(self) -> Mapping[str, Any]:
        if self._userinfo is None:
            body = self.session.json("GET", self._auth_url + USERINFO_PATH, endpoint="userinfo")
            if not isinstance(body, Mapping) or not isinstance(body.get("sub"), str):
                raise self.session.invalid("userinfo", 200, "user information without a workspace id (sub)")
            self._userinfo = body
        return self._userinfo

    @property
    def workspace_id(self) -> str:
        if self._workspace is None:
            self._workspace = str(self._user()["sub"])
        return self._workspace

    def account(self) -> AccountInfo:
        user = self._user()
        name = str(user.get("email") or user.get("preferred_username") or user.get("name") or user["sub"])
        return AccountInfo(provider=m.PROVIDER, name=name, extra={"workspace_id": self.workspace_id})

    # ------------------------------------------------------------------ helpers
    def _url(self, path: str) -> str:
        return f"{self._api}{path}"

    def _pages(
        self,
        path: str,
        params: Mapping[str, Any],
        endpoint: str,
        cancelled: Cancelled = never_cancelled,
        *,
        authenticate: bool = True,
        size: int = PAGE_SIZE,
    ) -> Iterator[Any]:
        """Items of a Spring-paged list, page after page until ``page >= totalPages``."""
        page = 0
        while True:
            if cancelled():
                raise errors.OperationCancelled()
            body = self.session.json(
                "GET",
                self._url(path),
                endpoint=endpoint,
                cancelled=cancelled,
                params={**params, "page": page, "size": size},
                authenticate=authenticate,
            )
            spring = m.parse_page(body, endpoint)
            yield from spring.content
            if not spring.content or not spring.has_more(page):
                return
            page += 1

    # ------------------------------------------------------------------ glossary / tasking
    def data_products(self) -> list[DataProduct]:
        """Data products of every collection in the glossary (``/v2/collections``, no auth)."""
        collections = list(self._pages("/v2/collections", {"sort": "name,asc"}, "collections", authenticate=False))
        access = self._access_statuses()
        products: list[DataProduct] = []
        for item in collections:
            wire = read(m.WireCollection, item, provider=m.PROVIDER, endpoint="collections")
            if access is None:
                products += m.products_of_collection(wire)
            else:
                products += m.products_of_collection(wire, access.get(wire.name) or m.NO_REQUEST)
        return products

    def search_sources(self) -> list[SearchSource]:
        """Archive collections of the glossary (``/v2/collections``, type ``ARCHIVE``) with
        each host that serves them (providers with the ``HOST`` role): what a catalog
        search can ask for."""
        sources: list[SearchSource] = []
        for item in self._pages("/v2/collections", {"sort": "name,asc"}, "collections", authenticate=False):
            wire = read(m.WireCollection, item, provider=m.PROVIDER, endpoint="collections")
            if (wire.type or "").upper() != "ARCHIVE":
                continue
            hosts = [
                str(p.get("name"))
                for p in wire.providers or []
                if isinstance(p, Mapping) and "HOST" in (p.get("roles") or []) and p.get("name")
            ]
            sources += [
                SearchSource(provider=m.PROVIDER, collection=wire.name, title=wire.title or wire.name, host=host)
                for host in hosts
            ]
        return sources

    def _access_statuses(self) -> Optional[dict[str, str]]:
        """Collection name -> the status of this workspace's latest access request, from the
        Access Requests page (UP42's "Place an order" guide) as the sandbox serves it (``GET /v2/access-requests``,
        a Spring page of ``{collectionName, status: PENDING|APPROVED|REJECTED, updatedAt}``;
        no provider document gives this API). None when unknown (no credentials, no such API)."""
        if isinstance(self.authenticator, Unconfigured):
            return None
        try:
            items = list(self._pages("/v2/access-requests", {"workspaceId": self.workspace_id}, "access-requests"))
        except errors.NotFound:
            return None
        latest: dict[str, tuple[str, str]] = {}
        for item in items:
            if not isinstance(item, Mapping) or not isinstance(item.get("collectionName"), str):
                continue
            when = str(item.get("updatedAt") or item.get("createdAt") or "")
            name = item["collectionName"]
            if name not in latest or when >= latest[name][0]:
                latest[name] = (when, str(item.get("status") or ""))
        return {name: status for name, (_, status) in latest.items()}

    def product_schema(self, data_product_id: str) -> dict[str, Any]:
        endpoint = "orders.schema"
        body = self.session.json(
            "GET", self._url(f"/orders/schema/{quote(data_product_id, safe='')}"), endpoint=endpoint
        )
        if not isinstance(body, dict) or not isinstance(body.get("properties", {}), dict):
            raise self.session.invalid(endpoint, 200, "a product schema that is not a JSON Schema object")
        return body

    def feasibility_studies(self, order_id: str) -> list[FeasibilityStudy]:
        params = {"workspaceId": self.workspace_id, "orderId": order_id, "sort": "createdAt,desc"}
        endpoint = "tasking.feasibility-studies"
        return [
            m.parse_study(item, endpoint) for item in self._pages("/v2/tasking/feasibility-studies", params, endpoint)
        ]

    def _study(self, study_id: str) -> Optional[FeasibilityStudy]:
        endpoint = "tasking.feasibility-studies"
        items = list(
            self._pages("/v2/tasking/feasibility-studies", {"workspaceId": self.workspace_id, "id": study_id}, endpoint)
        )
        return m.parse_study(items[0], endpoint) if items else None

    def choose_feasibility_option(self, study_id: str, option_id: str) -> FeasibilityStudy:
        endpoint = "tasking.feasibility-studies.decide"

        def send() -> FeasibilityStudy:
            body = self.session.json(
                "PATCH",
                self._url(f"/v2/tasking/feasibility-studies/{quote(study_id, safe='')}"),
                endpoint=endpoint,
                json={"acceptedOptionId": option_id},
                write=True,
            )
            return m.parse_study(body, endpoint)

        def lookup() -> Optional[FeasibilityStudy]:
            study = self._study(study_id)
            return study if study is not None and study.chosen_option == option_id else None

        return write_with_lookup(send, lookup, policy=self._policy, sleep=self._sleep)

    def quotations(self, order_id: str) -> list[Quotation]:
        params = {"workspaceId": self.workspace_id, "orderId": order_id, "sort": "createdAt,desc"}
        endpoint = "tasking.quotation"
        return [m.parse_quotation(item, endpoint) for item in self._pages("/v2/tasking/quotation", params, endpoint)]

    def decide_quotation(self, quotation_id: str, accept: bool) -> Quotation:
        """Accept or reject; UP42 takes a decision only on a ``NOT_DECIDED`` quotation (docs)."""
        endpoint = "tasking.quotation.decide"
        decision = "ACCEPTED" if accept else "REJECTED"

        def send() -> Quotation:
            body = self.session.json(
                "PATCH",
                self._url(f"/v2/tasking/quotation/{quote(quotation_id, safe='')}"),
                endpoint=endpoint,
                json={"decision": decision},
                write=True,
            )
            return m.parse_quotation(body, endpoint)

        def lookup() -> Optional[Quotation]:
            items = list(
                self._pages(
                    "/v2/tasking/quotation", {"workspaceId": self.workspace_id, "id": quotation_id}, "tasking.quotation"
                )
            )
            found = m.parse_quotation(items[0], "tasking.quotation") if items else None
            return found if found is not None and found.decision == decision else None

        return write_with_lookup(send, lookup, policy=self._policy, sleep=self._sleep)

    # ------------------------------------------------------------------ estimate
    def _archive_product(self, spec: ArchiveSpec, capture: CaptureRef) -> str:
        """The data product of an archive capture: ``options["data_product"]`` or the
        glossary's ARCHIVE data product of the capture's collection."""
        explicit = spec.options.get("data_product")
        if explicit:
            return str(explicit)
        if self._products is None:  # the glossary, once per adapter (it changes rarely)
            self._products = self.data_products()
        for product in self._products:
            if product.collection == capture.collection and product.type.upper() == "ARCHIVE":
                return product.id
        raise errors.InputError(
            f"UP42 has no archive data product for the collection {capture.collection or '(none)'!r} of capture "
            f"{capture.id}. Choose a data product for this order."
        )

    def estimate(self, spec: OrderSpec) -> Estimate:
        """The server's price in credits: one v2 estimate for a tasking order, one per capture
        for an archive order (``params.id`` is the scene); per-capture rejections become
        :class:`ItemError` entries instead of failing the whole estimate."""
        endpoint = "orders.estimate"
        if isinstance(spec, TaskingSpec):
            body = {k: v for k, v in m.tasking_body(spec, "estimate").items() if k != "tags"}
            wire = m.parse_estimate(
                self.session.json("POST", self._url("/v2/orders/estimate"), endpoint=endpoint, json=body), endpoint
            )
            label = spec.display_name or spec.data_product_id
            lines, item_errors = m.estimate_lines(wire, label, spec.data_product_id)
            return m.make_estimate([m.estimate_total(wire)], lines, item_errors)
        if not isinstance(spec, ArchiveSpec):
            raise errors.NotSupported("UP42 orders are tasking or archive (catalog) orders.")
        totals: list[Decimal] = []
        all_lines: list[EstimateLine] = []
        all_errors: list[ItemError] = []
        for capture in spec.captures:
            body = {
                k: v
                for k, v in m.archive_body(capture, self._archive_product(spec, capture), spec, "estimate").items()
                if k != "tags"
            }
            try:
                raw = self.session.json("POST", self._url("/v2/orders/estimate"), endpoint=endpoint, json=body)
            except errors.ProviderRejected as exc:
                all_errors.append(ItemError(item=capture.id, message=exc.message))
                continue
            wire = m.parse_estimate(raw, endpoint)
            lines, item_errors = m.estimate_lines(wire, capture.id, capture.id)
            totals.append(m.estimate_total(wire))
            all_lines += lines
            all_errors += item_errors
        return m.make_estimate(totals, all_lines, all_errors)

    # ------------------------------------------------------------------ placement
    def _orders_with_reference(self, reference: str) -> list[Order]:
        return list(self.list_orders(OrderFilter(reference=reference)))

    def find_placed(self, spec: OrderSpec, reference: str) -> Optional[PlacementResult]:
        """Orders already placed with ``reference`` (their tag), or None when there are none.
        For an archive order, captures without an order are listed as errors."""
        found = self._orders_with_reference(reference)
        if not found:
            return None
        if isinstance(spec, ArchiveSpec):
            by_image = {str(order.extra.get("imageId")): order for order in found}
            missing = [c.id for c in spec.captures if c.id not in by_image]
            return PlacementResult(
                orders=tuple(order for order in found),
                errors=tuple(ItemError(item=c, message="not placed yet") for c in missing),
            )
        return PlacementResult(orders=tuple(found))

    def place(self, spec: OrderSpec, reference: str) -> PlacementResult:
        """Place the order once. Already-placed parts (found by the reference tag) are not
        sent again; a send whose answer is lost is looked up before any resend."""
        if isinstance(spec, TaskingSpec):
            existing = self._orders_with_reference(reference)
            if existing:
                LOGGER.info("UP42 order with this reference already exists; not placing it again")
                return PlacementResult(orders=tuple(existing))
            return self._place_one(m.tasking_body(spec, reference), reference, spec.data_product_id, None)
        if not isinstance(spec, ArchiveSpec):
            raise errors.NotSupported("UP42 orders are tasking or archive (catalog) orders.")
        placed = {str(o.extra.get("imageId")): o for o in self._orders_with_reference(reference)}
        orders: list[Order] = []
        item_errors: list[ItemError] = []
        for capture in spec.captures:
            if capture.id in placed:
                orders.append(placed[capture.id])
                continue
            body = m.archive_body(capture, self._archive_product(spec, capture), spec, reference)
            result = self._place_one(body, reference, capture.id, capture.id)
            orders += result.orders
            item_errors += result.errors
        return PlacementResult(orders=tuple(orders), errors=tuple(item_errors))

    def _place_one(
        self, body: Mapping[str, Any], reference: str, item: str, image_id: Optional[str]
    ) -> PlacementResult:
        endpoint = "orders.place"

        def send() -> PlacementResult:
            raw = self.session.json(
                "POST",
                self._url("/v2/orders"),
                endpoint=endpoint,
                json=body,
                write=True,
                params={"workspaceId": self.workspace_id},
            )
            wire = m.parse_placement(raw, endpoint)
            if any(not r.id for r in wire.results) or not (wire.results or wire.errors):
                # a 2xx that names no order: the order may well exist (issue 15); never "not placed"
                raise errors.InvalidResponse(
                    "UP42 accepted the order but its answer names no order id, so whether it was placed is "
                    "not known yet.",
                    provider=m.PROVIDER,
                    endpoint=endpoint,
                    status=200,
                )
            orders = tuple(self._placed_order(str(r.id)) for r in wire.results)
            return PlacementResult(orders=orders, errors=tuple(m.placement_errors(wire, item)))

        def lookup() -> Optional[PlacementResult]:
            found = [
                o
                for o in self._orders_with_reference(reference)
                if image_id is None or str(o.extra.get("imageId")) == image_id
            ]
            return PlacementResult(orders=tuple(found)) if found else None

        return write_with_lookup(send, lookup, policy=self._policy, sleep=self._sleep)

    def _placed_order(self, order_id: str) -> Order:
        """The order just placed, read back; the placement answer holds only its id."""
        try:
            return self.get_order(order_id)
        except errors.ProviderError as exc:
            LOGGER.warning("UP42 order %s was placed but could not be read back: %s", order_id, exc.message)
            return Order(
                provider=m.PROVIDER, id=order_id, kind=OrderKind.ARCHIVE, status=Lifecycle.PENDING, raw_status="CREATED"
            )

    # ------------------------------------------------------------------ orders
    def get_order(self, order_id: str) -> Order:
        endpoint = "orders.get"
        return m.parse_order(
            self.session.json("GET", self._url(f"/v2/orders/{quote(order_id, safe='')}"), endpoint=endpoint), endpoint
        )

    def list_orders(
        self, order_filter: Optional[OrderFilter] = None, cancelled: Cancelled = never_cancelled
    ) -> Iterator[Order]:
        """Orders of the workspace, newest first, following Spring pages (0-based ``page`` and
        ``size`` in the query, until ``totalPages``)."""
        order_filter = order_filter or OrderFilter()
        params: dict[str, Any] = {"workspaceId": self.workspace_id, "sort": "createdAt,desc"}
        if order_filter.statuses:
            params["status"] = list(order_filter.statuses)
        if order_filter.kinds:
            params["type"] = [k.upper() for k in order_filter.kinds]
        if order_filter.reference:
            params["tags"] = m.reference_tag(order_filter.reference)
        for item in self._pages("/v2/orders", params, "orders.list", cancelled, size=order_filter.page_size):
            yield m.parse_order(item, "orders.list")

    def cancel_preview(self, order: Order) -> CancelPreview:
        """UP42 cancels only orders in CREATED or PLACEMENT_FAILED (up42-py ``Order.cancel``);
        such an order has not reached the imagery provider, so it is withdrawn completely."""
        if order.raw_status.upper() in m.CANCELLABLE:
            return CancelPreview(
                allowed=True,
                effect="The order is cancelled completely: it has not been placed with the imagery provider, "
                "so it will not be fulfilled.",
            )
        return CancelPreview(
            allowed=False,
            effect=f"UP42 cancels only orders that are CREATED or PLACEMENT_FAILED; this order is "
            f"{order.raw_status or 'in an unknown state'}. Contact UP42 support to stop it.",
        )

    def cancel_order(self, order_id: str) -> Order:
        order = self.get_order(order_id)
        preview = self.cancel_preview(order)
        if not preview.allowed:
            raise errors.ProviderRejected(preview.effect, provider=m.PROVIDER, endpoint="orders.cancel")
        return self._cancel(order)

    def _cancel(self, order: Order) -> Order:
        endpoint = "orders.cancel"

        def send() -> Order:
            body = self.session.json(
                "POST",
                self._url(f"/v2/orders/{quote(order.id, safe='')}/cancellation"),
                endpoint=endpoint,
                write=True,
                allow_empty=True,
            )
            raw = str(body.get("status") or "CANCELED") if isinstance(body, Mapping) else "CANCELED"
            return order.model_copy(update={"raw_status": raw, "status": m.lifecycle(raw, order.sub_status)})

        def lookup() -> Optional[Order]:
            current = self.get_order(order.id)
            return current if current.status is Lifecycle.CANCELLED else None

        return write_with_lookup(send, lookup, policy=self._policy, sleep=self._sleep)

    # ------------------------------------------------------------------ catalog, deliveries
    def search(self, query: SearchQuery, cancelled: Cancelled = never_cancelled) -> Iterator[Capture]:
        """Catalog search on one host; the same body is re-POSTed to ``links[rel=next].href``
        (it carries ``?next=...``) until the limit, the last page, or cancellation."""
        return catalog.search(self.session, self._api, query, cancelled)

    def stream(self, query: SearchQuery, cancelled: Cancelled = never_cancelled) -> Iterator[Capture]:
        """UP42 has no streamed search: the paged search."""
        return self.search(query, cancelled)

    def quicklook(self, capture: Capture) -> bytes:
        return catalog.quicklook(self.session, self._api, capture)

    def assets(self, order_id: str) -> list[Asset]:
        """The order's delivered STAC items (see :mod:`providers.up42.catalog`)."""
        return catalog.assets(self.session, self._api, order_id)

    def download(
        self,
        asset: Asset,
        destination: Path,
        progress: Optional[Progress] = None,
        cancelled: Cancelled = never_cancelled,
    ) -> Path:
        return catalog.download(self.session, asset, destination, progress, cancelled)
