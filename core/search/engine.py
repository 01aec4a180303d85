"""Search several providers' archives in one task, results published in batches.

:func:`search_providers` runs in a worker thread (a :class:`tasks.base.FunctionTask`):
for each provider it opens an adapter, reads the provider's captures (the NDJSON stream
where the provider has one, else page after page) and publishes them in
:class:`Found` batches, so the GUI adds a few hundred features at a time and the map
stays live with 10,000+ results. A provider that fails (down, credentials refused, an
invalid query) publishes one :class:`Failed` record and the others go on; nothing a
provider does stops the search of the next one. Cancelling stops between captures.

Every capture comes with the share of the AOI it covers (:func:`coverage_percent`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

import shapely
from shapely.geometry import shape

from ..errors import NadirError, OperationCancelled, ProviderAuthError, ProviderRejected, ProviderUnavailable
from ..models import Capture, GeoJSON, SearchQuery
from ..ports import Cancelled, SupportsArchiveSearch, never_cancelled
from .results import multipolygon_wkb

LOGGER = logging.getLogger(__name__)

#: a batch is published when it holds this many captures ...
BATCH_SIZE = 250
#: ... or when this many seconds passed since the last one (first results appear fast)
BATCH_SECONDS = 0.15
#: searches asking for more captures than this use the provider's stream, if it has one
STREAM_ABOVE = 500


@dataclass(frozen=True)
class ProviderSearch:
    """One provider's part of a search: its id and the query in its own terms."""

    provider: str
    query: SearchQuery


@dataclass(frozen=True)
class Found:
    """A batch of captures of one provider; ``coverage[i]`` is the % of the AOI
    ``captures[i]`` covers (None without an AOI)."""

    provider: str
    captures: tuple[Capture, ...]
    coverage: tuple[Optional[float], ...]
    #: each footprint as MultiPolygon WKB (b"" without a polygon), written once for the
    #: coverage and reused for the layer's features; empty when not written
    wkbs: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class Failed:
    """A provider that could not be searched, with the user message; ``field`` names the
    query field the provider refused (``"dates"``, ``"cloud"``, ``"collections"``, ``"aoi"``,
    ``"limit"``, ``"host"``) when its answer says which."""

    provider: str
    message: str
    field: Optional[str] = None


@dataclass
class SearchOutcome:
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[Failed] = field(default_factory=list)
    cancelled: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())


#: words in a provider's refusal -> the query field they are about
FIELD_WORDS = (
    ("datetime", "dates"),
    ("date", "dates"),
    ("cloud", "cloud"),
    ("incidence", "incidence"),
    ("intersects", "aoi"),
    ("geometry", "aoi"),
    ("bbox", "aoi"),
    ("collection", "collections"),
    ("constellation", "collections"),
    ("limit", "limit"),
    ("host", "host"),
)


def refused_field(error: NadirError) -> Optional[str]:
    """The query field a provider's 4xx answer is about, if it names one."""
    text = f"{error.message} {error.details}".lower()
    return next((name for word, name in FIELD_WORDS if word in text), None)


def failure(provider: str, title: str, error: NadirError) -> Failed:
    """One clear line for a provider that failed, with what to do about it."""
    if isinstance(error, ProviderAuthError):
        return Failed(
            provider,
            f"{title}: the credentials were refused ({error.message}). Check the connection in Nadir's options.",
        )
    if isinstance(error, ProviderUnavailable):
        return Failed(
            provider,
            f"{title} could not be reached ({error.message}). The other providers' "
            "results are shown; search again later.",
        )
    if isinstance(error, ProviderRejected):
        found = refused_field(error)
        return Failed(provider, f"{title} refused the search: {error.message}", found)
    return Failed(provider, f"{title}: {error.message}", None)


def footprint_wkbs(footprints: Iterable[Any]) -> tuple[bytes, ...]:
    """Each footprint as MultiPolygon WKB (b"" when it has no polygon)."""
    return tuple(multipolygon_wkb(f) if isinstance(f, Mapping) else b"" for f in footprints)


class Coverage:
    """% of an AOI each footprint covers, vectorised (10,000 footprints in milliseconds).

    Both areas are taken in lon/lat degrees: their ratio is the share of the AOI as long as
    the AOI spans a few degrees of latitude at most (the scale of an imagery order)."""

    def __init__(self, aoi: Optional[GeoJSON]) -> None:
        self._aoi = None
        self._area = 0.0
        if aoi:
            geometry = shapely.make_valid(shape(aoi))
            if not geometry.is_empty and geometry.area > 0:
                self._aoi = geometry
                shapely.prepare(geometry)
                self._area = geometry.area

    def __call__(self, footprints: Sequence[GeoJSON]) -> tuple[Optional[float], ...]:
        return self.of_wkbs(footprint_wkbs(footprints))

    def of_wkbs(self, wkbs: Sequence[bytes]) -> tuple[Optional[float], ...]:
        """The shares of footprints given as WKB (:func:`footprint_wkbs`)."""
        if self._aoi is None or not wkbs:
            return tuple(None for _ in wkbs)
        # WKB written in Python, then read and repaired by shapely in one vectorised call each
        # (a shapely geometry per footprint costs 100 µs: a second for 10,000)
        shapes = shapely.make_valid(shapely.from_wkb([w or None for w in wkbs], on_invalid="ignore"))
        hits = shapely.intersects(self._aoi, shapes)
        areas = shapely.area(shapely.intersection(self._aoi, shapes))
        return tuple(
            round(min(100.0, float(area) / self._area * 100.0), 1) if hit else (0.0 if geom is not None else None)
            for area, hit, geom in zip(areas, hits, shapes)
        )


def captures_of(adapter: SupportsArchiveSearch, query: SearchQuery, cancelled: Cancelled) -> Iterator[Capture]:
    """The provider's NDJSON stream for large searches and searches of every host (Geopera's
    stream searches all vendors at once) where it has one, else its pages."""
    if query.limit is None or query.limit > STREAM_ABOVE or not query.host:
        return adapter.stream(query, cancelled)
    return adapter.search(query, cancelled)


def batches(
    captures: Iterable[Capture],
    size: int = BATCH_SIZE,
    seconds: float = BATCH_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[list[Capture]]:
    """Captures grouped by count or by time, whichever comes first (never empty)."""
    batch: list[Capture] = []
    started = clock()
    for capture in captures:
        batch.append(capture)
        if len(batch) >= size or clock() - started >= seconds:
            yield batch
            batch, started = [], clock()
    if batch:
        yield batch


def search_providers(
    searches: Sequence[ProviderSearch],
    open_adapter: Callable[[str], Any],
    publish: Callable[[object], None],
    *,
    aoi: Optional[GeoJSON] = None,
    titles: Optional[dict[str, str]] = None,
    cancelled: Cancelled = never_cancelled,
    batch_size: int = BATCH_SIZE,
    batch_seconds: float = BATCH_SECONDS,
) -> SearchOutcome:
    """Search every provider in turn; publish :class:`Found` and :class:`Failed` records.

    ``open_adapter(provider_id)`` makes an adapter; it is closed when its search ends.
    Returns the counts per provider and the failures (also published). Raises
    :class:`OperationCancelled` when cancelled, after closing the adapter in use.
    """
    outcome = SearchOutcome()
    coverage = Coverage(aoi)
    names = titles or {}
    for item in searches:
        if cancelled():
            raise OperationCancelled()
        title = names.get(item.provider, item.provider)
        count = 0
        adapter = None
        try:
            adapter = open_adapter(item.provider)
            if not isinstance(adapter, SupportsArchiveSearch):
                raise NadirError(f"{title} has no archive search in Nadir.")
            for batch in batches(captures_of(adapter, item.query, cancelled), batch_size, batch_seconds):
                count += len(batch)
                wkbs = footprint_wkbs(c.footprint for c in batch)
                publish(Found(item.provider, tuple(batch), coverage.of_wkbs(wkbs), wkbs))
                if cancelled():
                    raise OperationCancelled()
        except OperationCancelled:
            outcome.counts[item.provider] = count
            outcome.cancelled = True
            raise
        except NadirError as exc:
            failed = failure(item.provider, title, exc)
            LOGGER.info("Archive search of %s failed: %s", item.provider, exc)
            outcome.failures.append(failed)
            publish(failed)
        finally:
            if adapter is not None:
                try:
                    adapter.close()
                except Exception:  # closing must not hide the search's outcome
                    LOGGER.debug("closing the %s adapter failed", item.provider, exc_info=True)
        outcome.counts[item.provider] = count
    return outcome
