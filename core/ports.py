"""Capabilities a provider opts into: small protocols, not one fat base.

Callers check support with ``isinstance(adapter, SupportsX)`` (the protocols are
runtime-checkable) and call only what the adapter has. Long operations accept a
``cancelled`` callable (a task's ``isCanceled``) and stop promptly when it returns True,
raising :class:`core.errors.OperationCancelled`.

Placement and idempotency: ``place(spec, reference)`` takes a ``reference`` the caller
generated and stored *before* the first send (the outbox). The adapter sends it as the
provider's idempotency key where one exists (Geopera ``Idempotency-Key``) or as a
client reference the provider keeps (UP42 tag/display name, OneAtlas tags...), and
``find_placed(spec, reference)`` looks an order up by it, so a retry after a dropped
response, a timeout or a crash never places a second order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional, Protocol, TypeVar, runtime_checkable

from .models import (
    AccountInfo,
    Asset,
    CancelPreview,
    Capture,
    DataProduct,
    Estimate,
    FeasibilityStudy,
    GeoJSON,
    GridCell,
    ImageryModel,
    Order,
    OrderFilter,
    OrderSpec,
    PlacementResult,
    Quotation,
    SearchQuery,
    SearchSource,
)

LOGGER = logging.getLogger(__name__)
A = TypeVar("A")

Cancelled = Callable[[], bool]
#: progress(bytes_done, bytes_total_or_None)
Progress = Callable[[int, Optional[int]], None]


def never_cancelled() -> bool:
    return False


@runtime_checkable
class Provider(Protocol):
    """Every adapter: identity and the account behind its credentials."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    def account(self) -> AccountInfo: ...

    def close(self) -> None: ...


@runtime_checkable
class SupportsGrid(Protocol):
    """A provider tile grid (ClearSKY): tiles for an area, minitiles of a tile."""

    def tiles(self, geometry: GeoJSON) -> list[GridCell]: ...

    def minitiles(self, tile_guid: str) -> list[GridCell]: ...

    def cells(self, tile_guids: Sequence[str] = (), minitile_guids: Sequence[str] = ()) -> list[GridCell]: ...


@runtime_checkable
class SupportsImageryModels(Protocol):
    """AI models and their required/optional constellations (ClearSKY)."""

    def imagery_models(self) -> list[ImageryModel]: ...


@runtime_checkable
class SupportsEstimate(Protocol):
    def estimate(self, spec: OrderSpec) -> Estimate: ...


@runtime_checkable
class SupportsPlace(Protocol):
    def place(self, spec: OrderSpec, reference: str) -> PlacementResult: ...

    def find_placed(self, spec: OrderSpec, reference: str) -> Optional[PlacementResult]: ...


@runtime_checkable
class SupportsArchiveSearch(Protocol):
    def search(self, query: SearchQuery, cancelled: Cancelled = never_cancelled) -> Iterator[Capture]:
        """Paged search as one iterator; stops at ``query.limit`` or when cancelled."""
        ...

    def stream(self, query: SearchQuery, cancelled: Cancelled = never_cancelled) -> Iterator[Capture]:
        """Streamed search (NDJSON where the provider has it; else the paged search)."""
        ...

    def quicklook(self, capture: Capture) -> bytes: ...


@runtime_checkable
class SupportsSearchSources(Protocol):
    """The collections (and their hosts) an archive search can ask for, from the provider."""

    def search_sources(self) -> list[SearchSource]: ...


@runtime_checkable
class SupportsTasking(Protocol):
    def data_products(self) -> list[DataProduct]: ...

    def product_schema(self, data_product_id: str) -> dict[str, Any]: ...

    def feasibility_studies(self, order_id: str) -> list[FeasibilityStudy]: ...

    def choose_feasibility_option(self, study_id: str, option_id: str) -> FeasibilityStudy: ...

    def quotations(self, order_id: str) -> list[Quotation]: ...

    def decide_quotation(self, quotation_id: str, accept: bool) -> Quotation: ...


@runtime_checkable
class ListsOrders(Protocol):
    """Reading orders: what order polling needs (``core.orders.polling``)."""

    def get_order(self, order_id: str) -> Order: ...

    def list_orders(
        self, order_filter: Optional[OrderFilter] = None, cancelled: Cancelled = never_cancelled
    ) -> Iterator[Order]:
        """All orders matching the filter (all when None), across pages."""
        ...


@runtime_checkable
class SupportsOrders(ListsOrders, Protocol):
    """Reading and cancelling orders."""

    def cancel_preview(self, order: Order) -> CancelPreview: ...

    def cancel_order(self, order_id: str) -> Order: ...


@runtime_checkable
class SupportsDeliveries(Protocol):
    def assets(self, order_id: str) -> list[Asset]: ...

    def download(
        self,
        asset: Asset,
        destination: Path,
        progress: Optional[Progress] = None,
        cancelled: Cancelled = never_cancelled,
    ) -> Path:
        """Download to ``destination`` via ``<destination>.part``, resuming a partial
        file where the server honours Range requests; rename only when complete and
        checked (size, checksum when known)."""
        ...


def close_adapter(adapter: object) -> None:
    """Close ``adapter`` (anything with a ``close()``; None is fine). A failure to close is
    logged, never raised: it must not hide the outcome of the work done with the adapter."""
    close = getattr(adapter, "close", None)
    if not callable(close):
        return
    try:
        close()
    except Exception:  # logged; the work's own result or error is what counts
        LOGGER.warning("Closing the %s adapter failed", getattr(adapter, "id", "?"), exc_info=True)


@contextmanager
def closing_adapter(adapter: A) -> Iterator[A]:
    """``with closing_adapter(adapter_for(...)) as adapter:`` - the recipe for provider work
    in a task or an algorithm: the adapter is closed when the work ends, however it ends."""
    try:
        yield adapter
    finally:
        close_adapter(adapter)
