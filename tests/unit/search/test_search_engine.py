"""The multi-provider archive search against the sandbox over real HTTP: merged results in
batches, one provider failing while the others show, cancellation, the AOI share."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from nadir.core import errors
from nadir.core.models import Capture, SearchQuery
from nadir.core.search.engine import (
    Coverage,
    Failed,
    Found,
    ProviderSearch,
    batches,
    refused_field,
    search_providers,
)
from support.adapters import BERLIN, box, geopera, up42

START = datetime(2015, 1, 1, tzinfo=timezone.utc)
END = datetime(2025, 1, 1, tzinfo=timezone.utc)


def query(**changes) -> SearchQuery:
    values = {"geometry": BERLIN, "start": START, "end": END, "limit": 40, "page_size": 20}
    values.update(changes)
    return SearchQuery(**values)


class Opened:
    """Adapters made on demand, remembered so the test sees they were closed."""

    def __init__(self, sb, **broken):
        self.sb, self.broken, self.made = sb, broken, []

    def __call__(self, provider: str):
        if provider in self.broken:
            raise self.broken[provider]
        adapter = {"geopera": geopera, "up42": up42}[provider](self.sb)
        closed = []
        original = adapter.close
        adapter.close = lambda: (closed.append(True), original())[-1]
        self.made.append((provider, closed))
        return adapter


def test_two_providers_are_merged_in_batches_and_each_adapter_is_closed(sb):
    published = []
    opened = Opened(sb)
    outcome = search_providers(
        [
            ProviderSearch("geopera", query(host="oneatlas", collections=("phr",))),
            ProviderSearch("up42", query(host="oneatlas")),
        ],
        opened,
        published.append,
        aoi=BERLIN,
        batch_size=15,
        batch_seconds=60,
    )
    found = [p for p in published if isinstance(p, Found)]
    assert {f.provider for f in found} == {"geopera", "up42"}
    assert all(len(f.captures) <= 15 for f in found) and len(found) >= 6
    assert outcome.counts == {"geopera": 40, "up42": 40} and outcome.total == 80
    assert not outcome.failures
    assert [p for p, closed in opened.made if closed] == ["geopera", "up42"]
    shares = [share for f in found for share in f.coverage]
    assert all(share is not None and 0 < share <= 100 for share in shares)


def test_geopera_without_a_host_uses_the_multi_vendor_stream(sb):
    published = []
    search_providers([ProviderSearch("geopera", query(limit=30))], Opened(sb), published.append)
    assert sum(len(p.captures) for p in published if isinstance(p, Found)) == 30
    assert [r for r in sb.requests("/geopera/v1/op/catalog.search_stream") if r["method"] == "POST"]
    assert not [r for r in sb.requests("/geopera/v1/op/catalog.search") if r["path"].endswith("catalog.search")]


def test_a_provider_that_is_down_gets_one_line_and_the_other_still_shows(sb):
    published = []
    down = errors.ProviderUnavailable("connection refused", provider="up42")
    outcome = search_providers(
        [
            ProviderSearch("up42", query(host="oneatlas")),
            ProviderSearch("geopera", query(host="oneatlas", collections=("phr",))),
        ],
        Opened(sb, up42=down),
        published.append,
        titles={"up42": "UP42"},
    )
    failed = [p for p in published if isinstance(p, Failed)]
    assert len(failed) == 1 and failed[0].provider == "up42"
    assert failed[0].message.startswith("UP42 could not be reached (connection refused)")
    assert outcome.counts["geopera"] == 40 and outcome.counts["up42"] == 0


def test_refused_credentials_say_where_to_fix_them(sb):
    published = []
    refused = errors.ProviderAuthError("401 invalid token", provider="geopera")
    search_providers(
        [ProviderSearch("geopera", query())],
        Opened(sb, geopera=refused),
        published.append,
        titles={"geopera": "Geopera"},
    )
    assert published == [
        Failed(
            "geopera",
            "Geopera: the credentials were refused (401 invalid token). Check the connection in Nadir's options.",
        )
    ]


def test_an_invalid_query_is_pinned_to_its_field(sb):
    published = []
    search_providers(
        [ProviderSearch("up42", query(host="oneatlas", collections=("nope",)))],
        Opened(sb),
        published.append,
        titles={"up42": "UP42"},
    )
    assert len(published) == 1 and published[0].field == "collections"
    assert published[0].message.startswith("UP42 refused the search:") and "nope" in published[0].message
    published.clear()
    search_providers([ProviderSearch("up42", query(host="no-such-host"))], Opened(sb), published.append)
    assert published[0].field == "host"
    assert refused_field(errors.ProviderRejected("datetime must be an interval", status=422)) == "dates"
    assert refused_field(errors.ProviderRejected("Something else", status=422)) is None


def test_cancelling_stops_between_batches_and_closes_the_adapter(sb):
    published = []
    opened = Opened(sb)
    with pytest.raises(errors.OperationCancelled):
        search_providers(
            [ProviderSearch("geopera", query(host="oneatlas", collections=("phr",), limit=200))],
            opened,
            published.append,
            batch_size=20,
            batch_seconds=60,
            cancelled=lambda: len(published) >= 2,
        )
    assert len(published) == 2 and opened.made[0][1] == [True]


def test_coverage_is_the_share_of_the_aoi_inside_each_footprint():
    aoi = box(10.0, 50.0, 10.2, 50.2)
    share = Coverage(aoi)([box(10.0, 50.0, 10.1, 50.2), box(9.0, 49.0, 11.0, 51.0), box(20.0, 20.0, 21.0, 21.0)])
    assert share[0] == pytest.approx(50.0, abs=0.1)
    assert share == (share[0], 100.0, 0.0)
    assert Coverage(None)([aoi]) == (None,)


def test_coverage_of_ten_thousand_footprints_is_vectorised():
    import time

    aoi = box(10.0, 50.0, 11.0, 51.0)
    footprints = [
        box(10 + i % 100 / 100, 50 + i // 100 / 100, 10.5 + i % 100 / 100, 50.5 + i // 100 / 100) for i in range(10_000)
    ]
    started = time.perf_counter()
    shares = Coverage(aoi)(footprints)
    assert len(shares) == 10_000 and shares[0] == 25.0
    assert time.perf_counter() - started < 5  # a loose bound: the number is measured in bench_search


def test_batches_by_count_and_by_time():
    ticks = iter(range(100))
    items = [Capture(provider="x", id=str(i), footprint=box(0, 0, 1, 1)) for i in range(7)]
    assert [len(b) for b in batches(items, size=3, seconds=1e9)] == [3, 3, 1]
    assert [len(b) for b in batches(items, size=100, seconds=2, clock=lambda: next(ticks))] == [2, 2, 2, 1]


def test_up42_offers_its_archive_collections_with_their_hosts(sb):
    from nadir.core.ports import SupportsSearchSources

    adapter = up42(sb)
    try:
        assert isinstance(adapter, SupportsSearchSources)
        sources = adapter.search_sources()
    finally:
        adapter.close()
    assert {(s.collection, s.host) for s in sources} >= {("phr", "oneatlas"), ("pneo", "oneatlas")}
    assert all(s.provider == "up42" and s.title for s in sources)
    # tasking collections are not searchable
    assert not [s for s in sources if "tasking" in s.collection]
