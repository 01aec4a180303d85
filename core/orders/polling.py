"""One polling cycle over the providers' order lists, and the backoff between cycles.

:func:`fetch_orders` is the work of one background task: it lists every provider's
orders (and fetches, one by one, the orders Nadir placed that a listing did not include
yet) and returns one :class:`ProviderPoll` per provider. A failing provider never stops
the others; its error is returned, not raised. :class:`Backoff` decides when a provider
that failed is asked again, so an unreachable provider or wrong credentials produce one
notice, not one per cycle.

Pure Python: the timer and the task live in ``ui/orders``. The providers are reached
through ``core.ports.ListsOrders``, the part of ``SupportsOrders`` polling needs.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import NadirError, NotFound, OperationCancelled, ProviderAuthError, RateLimited
from ..models import GeoJSON, GridCell, Order, OrderFilter, OrderKind
from ..ports import ListsOrders

LOGGER = logging.getLogger(__name__)

#: Every order of the account, finished ones included: the overlay shows past orders too.
LIST_ALL = OrderFilter(include_expired=True, page_size=100)
#: Tile orders whose footprint is fetched per cycle at most (one grid request each).
FOOTPRINTS_PER_CYCLE = 20


def tile_guids(order: Order) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(tiles, minitiles) of a tile order, as its adapter keeps them in ``extra``."""
    tiles = order.extra.get("Tiles") or ()
    minitiles = order.extra.get("MiniTiles") or ()
    return tuple(str(t) for t in tiles), tuple(str(m) for m in minitiles)


def footprint(cells: Sequence[GridCell]) -> Optional[GeoJSON]:
    """The union of grid cells as one GeoJSON (Multi)Polygon, or None without cells."""
    import shapely
    from shapely.geometry import mapping

    shapes = [shapely.from_wkt(cell.wkt) for cell in cells if cell.wkt]
    if not shapes:
        return None
    return dict(mapping(shapely.union_all(shapes)))


@dataclass(frozen=True)
class ProviderPoll:
    """What one provider answered in one cycle."""

    provider: str
    orders: tuple[Order, ...] = ()
    complete: bool = False  # the listing itself succeeded: it holds every order of the account
    error: Optional[BaseException] = None
    missing: tuple[str, ...] = ()  # followed order ids the provider does not know (404)

    @property
    def ok(self) -> bool:
        return self.error is None


def _never() -> bool:
    return False


def fetch_orders(
    sources: Mapping[str, ListsOrders],
    follow: Mapping[str, Sequence[str]] | None = None,
    cancelled: Callable[[], bool] = _never,
    located: Mapping[str, frozenset[str]] | None = None,
) -> list[ProviderPoll]:
    """List each provider's orders; then get the ``follow`` ids a listing did not include.

    Tile orders come without an area; for those not in ``located`` (ids whose footprint
    the book already has) the footprint is built from the provider's grid cells when the
    source also has a grid's ``cells`` (``core.ports.SupportsGrid``), a few per cycle. Raises only
    :class:`OperationCancelled` (the task was cancelled).
    """
    results: list[ProviderPoll] = []
    for provider, source in sources.items():
        if cancelled():
            raise OperationCancelled()
        poll = _poll_one(provider, source, tuple((follow or {}).get(provider, ())), cancelled)
        if poll.ok and callable(getattr(source, "cells", None)):
            poll = _with_footprints(poll, source, (located or {}).get(provider, frozenset()), cancelled)
        results.append(poll)
    return results


def _with_footprints(
    poll: ProviderPoll, source: Any, located: frozenset[str], cancelled: Callable[[], bool]
) -> ProviderPoll:
    orders = list(poll.orders)
    budget = FOOTPRINTS_PER_CYCLE
    for index, order in enumerate(orders):
        if order.aoi is not None or order.kind is not OrderKind.TILE or order.id in located or budget <= 0:
            continue
        tiles, minitiles = tile_guids(order)
        if not tiles and not minitiles:
            continue
        if cancelled():
            raise OperationCancelled()
        budget -= 1
        try:
            area = footprint(source.cells(tiles, minitiles))
        except OperationCancelled:
            raise
        except Exception as exc:  # noqa: BLE001 - a missing footprint only leaves it off the map
            LOGGER.info("No footprint for %s tile order %s: %s", poll.provider, order.id, exc)
            continue
        if area is not None:
            orders[index] = order.model_copy(update={"aoi": area})
    return ProviderPoll(poll.provider, tuple(orders), poll.complete, poll.error, poll.missing)


def _poll_one(
    provider: str, source: ListsOrders, follow: tuple[str, ...], cancelled: Callable[[], bool]
) -> ProviderPoll:
    try:
        listed = [order for order in source.list_orders(LIST_ALL, cancelled) if order.provider == provider]
    except OperationCancelled:
        raise
    except NadirError as exc:
        LOGGER.info("Listing %s orders failed: %s", provider, exc)
        return ProviderPoll(provider, error=exc)
    except Exception as exc:  # noqa: BLE001 - an adapter bug must not stop the other providers
        LOGGER.error("Listing %s orders crashed:\n%s", provider, traceback.format_exc())
        return ProviderPoll(provider, error=exc)
    seen = {order.id for order in listed}
    extra: list[Order] = []
    missing: list[str] = []
    for order_id in follow:
        if order_id in seen:
            continue
        if cancelled():
            raise OperationCancelled()
        try:
            extra.append(source.get_order(order_id))
        except NotFound:
            missing.append(order_id)
        except OperationCancelled:
            raise
        except Exception as exc:  # noqa: BLE001 - one order's failure leaves the listing valid
            LOGGER.info("Getting %s order %s failed: %s", provider, order_id, exc)
    return ProviderPoll(provider, tuple(listed + extra), complete=True, missing=tuple(missing))


@dataclass
class Backoff:
    """When to ask a failing provider again: the interval doubles per failure, up to a cap.

    Credentials rejected (401/403) wait the cap: asking again cannot help until the user
    changes them, which resets the backoff. A 429's ``Retry-After`` is honoured.
    Times are monotonic seconds.
    """

    interval_s: float
    cap_s: float = 1800.0
    _failures: dict[str, int] = field(default_factory=dict)
    _not_before: dict[str, float] = field(default_factory=dict)

    def due(self, provider: str, now: float) -> bool:
        return now >= self._not_before.get(provider, float("-inf"))

    def failures(self, provider: str) -> int:
        return self._failures.get(provider, 0)

    def failed(self, provider: str, now: float, error: Optional[BaseException] = None) -> float:
        """Record a failure; return the seconds until the provider is asked again."""
        count = self._failures.get(provider, 0) + 1
        self._failures[provider] = count
        delay = float(min(self.cap_s, self.interval_s * (2**count)))
        if isinstance(error, ProviderAuthError):
            delay = max(self.cap_s, self.interval_s)
        elif isinstance(error, RateLimited) and error.retry_after:
            delay = max(delay, float(error.retry_after))
        self._not_before[provider] = now + delay
        return delay

    def succeeded(self, provider: str) -> bool:
        """Record a success; True if the provider had been failing (it recovered)."""
        self._not_before.pop(provider, None)
        return self._failures.pop(provider, 0) > 0

    def reset(self, provider: Optional[str] = None) -> None:
        """Ask again at the next cycle (manual refresh, settings changed). Failures are kept
        so a recovery is still reported."""
        if provider is None:
            self._not_before.clear()
        else:
            self._not_before.pop(provider, None)
