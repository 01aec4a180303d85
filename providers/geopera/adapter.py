"""Geopera adapter: archive search, estimate, placement with Idempotency-Key, orders, deliveries.

Every operation is ``POST {api}/v1/op/{operation}`` with a JSON body (openapi.json v2.1.0;
the docs' resource paths such as ``/v1/orders/archive/place`` are the same operations).
Principals (Geopera's guide "Ordering archive imagery"), chosen from the credentials:

- API key only (``gpra_`` key as password, no user name): the key as
  ``Authorization: Bearer gpra_...`` for everything it may do. The guide: "an API key
  cannot place archive orders — this is a deliberate guard on the money path; use a user
  or delegated principal", so placing refuses before sending and says which credentials
  may (cancelling, which the guide does not guard, goes with the key);
- API key and a client id as user name (the docs' ``geopera``): reads with the key, spend
  operations with a token from the client-credentials grant (``client_secret`` = the key).
  That token is derived from the key, and Geopera refuses it on placement too (403,
  docs errors page: "missing scope 'orders:write' for 'orders.archive.place'"): the
  adapter then says that only the account e-mail and password can place, and where to
  enter them (:data:`PLACE_NEEDS_ACCOUNT`);
- account e-mail and password: a user principal from the password grant, for everything.

Placement carries the caller's reference as ``Idempotency-Key``: the session re-sends a
lost or failed attempt with the same key and body, and Geopera replays the stored answer,
so an order is never placed twice (docs idempotency page). 402 is never retried.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Generator, Iterator, Mapping
from pathlib import Path
from typing import Any, Optional, cast
from urllib.parse import urlsplit

import httpx

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
from ...core.retry import RetryPolicy
from ..http.auth import BearerToken, TokenGrant, Unconfigured
from ..http.envelopes import default_error_parser, safe_json
from ..http.session import SETTINGS_HINT, HttpSession
from ..stac import paged, within
from ..wire import as_list, pick
from . import models as g

LOGGER = logging.getLogger(__name__)

TOKEN_PATH = "/realms/public/protocol/openid-connect/token"  # a URL path, not a secret  # noqa: S105  # nosec B105
#: The realm client of the key exchange: ``grant_type=client_credentials``, ``client_id=geopera``
#: and the API key as ``client_secret`` (Geopera's authentication page).
CLIENT_ID = "geopera"
#: Attempts while Geopera answers 409 "a request with this key is still being processed".
IN_USE_ATTEMPTS = 3
PAGE_SIZE = 100
#: What to do when Geopera refuses a placement made with an API key (a guard on the money path); no secret.
PLACE_NEEDS_ACCOUNT = (
    "Geopera does not let an API key place archive orders, not even through a token exchanged for the key "
    "(a guard on Geopera's money path). Only your Geopera account can place orders: in {settings}, edit the "
    "Geopera authentication configuration (type Basic) and enter your Geopera account e-mail as user name "
    "and your account password as password. Searching, pricing and following orders work with either."
)


def error_parser(response: httpx.Response) -> tuple[str, str]:
    """RFC 7807 problems (``detail``) and FastAPI 422 bodies (``detail: [{loc, msg}]``)."""
    body = safe_json(response)
    if isinstance(body, Mapping) and isinstance(body.get("detail"), list):
        parts = []
        for item in body["detail"][:5]:
            if isinstance(item, Mapping):
                where = ".".join(str(p) for p in as_list(item.get("loc")) if p != "body")
                parts.append(f"{where}: {item.get('msg')}" if where else str(item.get("msg")))
        return "; ".join(parts), "validation"
    return default_error_parser(response)


def payment_parser(response: httpx.Response, message: str, code: str) -> errors.PaymentRequired:
    body = safe_json(response)
    return g.payment_required(body if isinstance(body, Mapping) else {}, "orders.archive.place")


class Geopera:
    """Geopera adapter (archive): catalog search and stream, estimate, place, orders, assets."""

    id = g.PROVIDER
    title = "Geopera"

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
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        common: dict[str, Any] = {
            "policy": self._policy,
            "sleep": sleep,
            "error_parser": error_parser,
            "payment_parser": payment_parser,
            "title": self.title,
            "auth_origins": [self._api],
        }
        key = credentials.secret
        token_session = HttpSession(g.PROVIDER, client, None, **common)
        token_url = self._api + TOKEN_PATH
        reader: Any
        self.spender: Any
        if key and "@" in credentials.username:
            # an account e-mail and password: the password grant gives a user principal that may
            # read and place (docs authentication page: "The password ... grants also work")
            form = {"grant_type": "password", "client_id": CLIENT_ID, "username": credentials.username, "password": key}
            reader = self.spender = TokenGrant(token_url, form, token_session, endpoint="token")
        elif key:
            reader = BearerToken(key)
            if credentials.username:
                form = {"grant_type": "client_credentials", "client_id": credentials.username, "client_secret": key}
                self.spender = TokenGrant(token_url, form, token_session, endpoint="token")
            else:
                # the guide guards placement only: the key cancels (orders:write) as it reads
                self.spender = reader
        else:
            reader = self.spender = Unconfigured(
                g.PROVIDER,
                f"No Geopera credentials are set. Choose an authentication configuration for Geopera in "
                f"{SETTINGS_HINT}: your Geopera account e-mail as user name and your password (needed to place "
                f"orders), or a gpra_ API key as password (search, prices and orders only).",
            )
        #: the credentials are an API key (alone or exchanged): Geopera refuses them placement
        self._key_credentials = bool(key) and "@" not in credentials.username
        #: the API key alone: placing is refused before anything is sent
        self._key_only = bool(key) and not credentials.username
        self.session = HttpSession(g.PROVIDER, client, reader, **common)
        self.spend_session = HttpSession(g.PROVIDER, client, self.spender, **common)

    def __repr__(self) -> str:
        return f"Geopera(api={self._api!r})"

    def close(self) -> None:
        """Close the httpx client: the adapter owns the one the factory built for it
        (``toolbelt.connections.adapter_for``)."""
        self._client.close()

    def _op(self, operation: str) -> str:
        return f"{self._api}/v1/op/{operation}"

    def _call(self, operation: str, body: Mapping[str, Any], **kwargs: Any) -> Any:
        return self.session.json("POST", self._op(operation), endpoint=operation, json=dict(body), **kwargs)

    # ------------------------------------------------------------------ account
    def account(self) -> AccountInfo:
        """``billing.credits.balance`` (openapi.json: "The org's current credit balance")."""
        endpoint = "billing.credits.balance"
        body = self._call(endpoint, {})
        if not isinstance(body, Mapping):
            raise self.session.invalid(endpoint, 200, "a balance that is not a JSON object")
        credits = g.money(pick(body, "balance_credits", "balance", "credits"), g.CREDITS)
        aud = g.money(pick(body, "balance_aud", "balanceAud", "aud"), g.AUD)
        extra = {k: body[k] for k in ("billing_mode", "billingMode", "org_id") if k in body}
        return AccountInfo(
            provider=g.PROVIDER,
            name=str(pick(body, "org_name", "org_id") or ""),
            balances=tuple(m for m in (credits, aud) if m is not None),
            extra=extra,
        )

    # ------------------------------------------------------------------ search
    def _host(self, query: SearchQuery) -> str:
        if not query.host:
            raise errors.InputError("Choose a Geopera catalog host (host_name, e.g. earthsearch-aws) to search.")
        return query.host

    def search(self, query: SearchQuery, cancelled: Cancelled = never_cancelled) -> Iterator[Capture]:
        """``catalog.search`` page after page, re-sending the body with the ``next`` token,
        until the limit, the last page, or cancellation (checked between pages)."""
        host = self._host(query)
        if not query.collections:
            raise errors.InputError(
                "Choose at least one Geopera collection to search (catalog.search needs collections or ids)."
            )
        body = g.search_body(query, host, min(query.page_size, query.limit or query.page_size))

        def fetch(token: Optional[str]) -> tuple[list[Capture], Optional[str]]:
            raw = self._call("catalog.search", {**body, "next": token} if token else body, cancelled=cancelled)
            captures, following = g.search_page(raw, host, "catalog.search")
            return captures, following if following != token else None

        return paged(fetch, query, cancelled)

    def stream(self, query: SearchQuery, cancelled: Cancelled = never_cancelled) -> Iterator[Capture]:
        """``catalog.search_stream`` ("multi-vendor progressive"): NDJSON, one result per line,
        cancellation checked between lines. Without a host every vendor is searched."""
        host = query.host
        body = g.search_body(query, host, 1)
        del body["limit"]  # the stream's limit caps the whole stream, not a page
        if query.limit is not None:
            body["limit"] = query.limit
        lines = cast(
            Generator[Any, None, None],
            self.session.stream_json(
                "POST",
                self._op("catalog.search_stream"),
                endpoint="catalog.search_stream",
                json=body,
                cancelled=cancelled,
            ),
        )
        try:
            yield from within(self._stream_captures(lines, host), query)
        finally:
            lines.close()  # also when the limit is reached: the rest of the stream is not read

    @staticmethod
    def _stream_captures(lines: Iterator[Any], host: Optional[str]) -> Iterator[Capture]:
        for line in lines:
            if isinstance(line, Mapping) and line.get("type") in ("error", "Error"):
                LOGGER.warning("Geopera stream reported: %s", str(line.get("message") or line.get("detail")))
            for feature in g.stream_line_features(line):
                capture = g.capture_from_feature(feature, host)
                if capture is not None:
                    yield capture

    def quicklook(self, capture: Capture) -> bytes:
        if not capture.quicklook_url:
            raise errors.NotSupported(f"Geopera gave no quicklook for capture {capture.id}.")
        return self.session.request("GET", capture.quicklook_url, endpoint="catalog.quicklook").content

    # ------------------------------------------------------------------ estimate / place
    def _archive(self, spec: OrderSpec) -> ArchiveSpec:
        if not isinstance(spec, ArchiveSpec):
            raise errors.NotSupported("Geopera orders placed by Nadir are archive orders (captures).")
        return spec

    def estimate(self, spec: OrderSpec) -> Estimate:
        """``orders.archive.estimate``: the server's price (AUD and credits), grouped, with
        per-capture errors; ``options["split_by_date"]`` prices each date as its own group."""
        archive = self._archive(spec)
        return g.estimate_from_json(
            self._call("orders.archive.estimate", g.estimate_body(archive)), "orders.archive.estimate"
        )

    def place(self, spec: OrderSpec, reference: str) -> PlacementResult:
        """``orders.archive.place`` with ``Idempotency-Key: reference``: retries (and a later
        call after a crash or a 3-D Secure challenge) send the same key and body."""
        archive = self._archive(spec)
        endpoint = "orders.archive.place"
        if self._key_only:
            raise errors.ProviderAuthError(
                PLACE_NEEDS_ACCOUNT.format(settings=SETTINGS_HINT), provider=g.PROVIDER, endpoint=endpoint
            )
        for attempt in range(1, IN_USE_ATTEMPTS + 1):
            try:
                body = self.spend_session.json(
                    "POST",
                    self._op(endpoint),
                    endpoint=endpoint,
                    json=g.place_body(archive, reference),
                    write=True,
                    idempotency_key=reference,
                )
                break
            except errors.ProviderAuthError as exc:
                if exc.status == 403 and self._key_credentials:
                    raise self._key_cannot_place(exc) from None
                raise
            except errors.Conflict as exc:
                if g.problem_kind({"type": exc.code}) != "idempotency-key-in-use" and "still" not in exc.message:
                    raise self._place_conflict(exc) from None
                if attempt == IN_USE_ATTEMPTS:
                    raise errors.StillPlacing(
                        "Geopera is still processing an earlier attempt of this order. Look at the orders list "
                        "in a minute; placing it again then is safe (it is sent with the same key).",
                        provider=g.PROVIDER,
                        endpoint=endpoint,
                        status=409,
                        details=exc.details,
                        code=exc.code,
                    ) from None
                LOGGER.debug("Geopera still processes this key; waiting before asking again")
                self._sleep(max(1.0, self._policy.backoff(attempt)))
        return PlacementResult(orders=(g.order_from_json(body, endpoint),))

    @staticmethod
    def _key_cannot_place(exc: errors.ProviderAuthError) -> errors.ProviderAuthError:
        """Geopera's 403 on a placement made with an API key, as what to change and where."""
        marker = "(HTTP 403: "  # HttpSession.status_error's wording around Geopera's detail
        said = exc.message.split(marker, 1)[1].rsplit("): ", 1)[0] if marker in exc.message else ""
        text = PLACE_NEEDS_ACCOUNT.format(settings=SETTINGS_HINT)
        if said:
            text += f" (Geopera said: {said}.)"
        return errors.ProviderAuthError(
            text, provider=g.PROVIDER, endpoint=exc.endpoint, status=403, details=exc.details, code=exc.code
        )

    @staticmethod
    def _place_conflict(exc: errors.Conflict) -> errors.Conflict:
        """A 409 on placement: the key reused with another body (docs idempotency page), or a
        state conflict, said so the analyst knows which."""
        if g.problem_kind({"type": exc.code}) == "idempotency-key-reused" or "different" in exc.message:
            text = (
                "Geopera refused the order: its idempotency key was already used for a different order body. "
                "The cart item changed after it was first sent; check the orders list, then check out the "
                "item again as a new order."
            )
        else:
            text = f"Geopera refused the order in its current state: {exc.message}"
        return errors.Conflict(
            text, provider=g.PROVIDER, endpoint=exc.endpoint, status=409, details=exc.details, code=exc.code
        )

    def find_placed(self, spec: OrderSpec, reference: str) -> Optional[PlacementResult]:
        """The order placed with ``reference``, found by its reference tag with ``orders.list``
        (a read: it never places). None when there is none; :meth:`place` with the same
        reference is then safe, the key making it happen at most once."""
        found = tuple(self.list_orders(OrderFilter(reference=reference)))
        return PlacementResult(orders=found) if found else None

    # ------------------------------------------------------------------ orders
    def get_order(self, order_id: str) -> Order:
        return g.order_from_json(self._call("orders.get", {"order_id": order_id}), "orders.get")

    def list_orders(
        self, order_filter: Optional[OrderFilter] = None, cancelled: Cancelled = never_cancelled
    ) -> Iterator[Order]:
        """``orders.list`` with ``page``/``size`` (0-based, UP42-shaped) until the last page."""
        order_filter = order_filter or OrderFilter()
        body: dict[str, Any] = {"page": 0, "size": order_filter.page_size, "sort": "createdAt,desc"}
        statuses = {s.lower() for s in order_filter.statuses}
        if order_filter.statuses:  # OrdersListInput's filters are strings: comma-separated lists
            body["status"] = ",".join(order_filter.statuses)
        if order_filter.kinds:
            body["type"] = ",".join(order_filter.kinds)
        if order_filter.reference:
            body["tags"] = g.reference_tag(order_filter.reference)
        while True:
            if cancelled():
                raise errors.OperationCancelled()
            raw = self._call("orders.list", body, cancelled=cancelled)
            items, total_pages, last = g.orders_page(raw, "orders.list")
            for item in items:
                order = g.order_from_json(item, "orders.list")
                if statuses and order.raw_status.lower() not in statuses:
                    continue
                if order_filter.reference and order.client_reference != order_filter.reference:
                    continue
                yield order
            page = int(body["page"])
            more = (
                (page + 1 < total_pages)
                if total_pages is not None
                else (not last if last is not None else len(items) >= body["size"])
            )
            if not items or not more:
                return
            body = {**body, "page": page + 1}

    def cancel_preview(self, order: Order) -> CancelPreview:
        """Geopera cancels only cancellable states and refunds or voids the reservation
        (the ordering guide): what that means for this order's billing mode (see ``CANCELLABLE``)."""
        if order.raw_status.lower() not in g.CANCELLABLE:
            return CancelPreview(
                allowed=False,
                effect=f"Geopera cancels only orders that are still processing; this order is "
                f"{order.raw_status or 'in an unknown state'}.",
            )
        mode = str(order.extra.get("billing_mode") or "")
        credits = g.money(order.extra.get("credits"), g.CREDITS)
        if mode == "credit":
            return CancelPreview(
                allowed=True,
                refund=credits or order.price,
                effect="The order is cancelled completely and its reserved credits are returned to your balance.",
            )
        if mode == "card":
            return CancelPreview(
                allowed=True,
                effect="The order is cancelled completely and the hold on your card is released; nothing is charged.",
            )
        if mode == "enterprise":
            return CancelPreview(
                allowed=True, effect="The order is cancelled completely and nothing is added to your monthly invoice."
            )
        return CancelPreview(
            allowed=True, effect="The order is cancelled completely; Geopera refunds or voids its payment."
        )

    def cancel_order(self, order_id: str) -> Order:
        """``orders.cancel`` (a spend operation, policy-gated on the server: 409 when the order
        can no longer be cancelled) with one idempotency key for all attempts of this call,
        then the order as it now stands."""
        endpoint = "orders.cancel"
        key = f"nadir-cancel-{uuid.uuid4()}"
        try:
            self.spend_session.json(
                "POST",
                self._op(endpoint),
                endpoint=endpoint,
                json={"order_id": order_id},
                write=True,
                idempotency_key=key,
            )
        except errors.Conflict as exc:
            raise errors.Conflict(
                f"Geopera cannot cancel order {order_id} in its current state ({exc.message}).",
                provider=g.PROVIDER,
                endpoint=endpoint,
                status=409,
                details=exc.details,
            ) from None
        return self.get_order(order_id)

    # ------------------------------------------------------------------ deliveries
    def assets(self, order_id: str) -> list[Asset]:
        body = self._call("orders.list_assets", {"order_id": order_id})
        return g.assets_from_json(body, order_id, urlsplit(self._api).netloc, "orders.list_assets")

    def download(
        self,
        asset: Asset,
        destination: Path,
        progress: Optional[Progress] = None,
        cancelled: Cancelled = never_cancelled,
    ) -> Path:
        return self.session.download(
            asset.href,
            destination,
            endpoint="orders.asset.download",
            progress=progress,
            cancelled=cancelled,
            expected_size=asset.size,
            checksum=asset.checksum,
            authenticate=asset.needs_auth,
        )
