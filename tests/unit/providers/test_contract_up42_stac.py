"""Contract: UP42 catalog search bodies are STAC item-search bodies (CONTRACTS.md 1.2, 5).

UP42 publishes no retrievable OpenAPI (CONTRACTS.md 1.6), so the bodies the adapter sent
to the sandbox during real searches (first pages and re-POSTs to the next link) are sent
to Prism serving the STAC API v1.0.0 item-search spec, ``POST /search``, and must pass
its validation.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from nadir.core.models import SearchQuery
from support.adapters import BERLIN, box, up42
from support.prism import run_prism, spec_path


@pytest.fixture(scope="module")
def prism():
    with run_prism(spec_path("stac-item-search")) as server:
        yield server


def test_every_catalog_search_body_is_a_valid_stac_item_search(prism, sb):
    adapter = up42(sb)
    base = {
        "start": datetime(2015, 1, 1, tzinfo=timezone.utc),
        "end": datetime(2025, 1, 1, tzinfo=timezone.utc),
        "host": "oneatlas",
    }
    queries = [
        SearchQuery(geometry=BERLIN, collections=("phr",), limit=12, page_size=5, **base),
        SearchQuery(
            geometry=box(2.2, 48.8, 2.4, 48.9),
            collections=("phr", "pneo", "spot"),
            max_cloud=15,
            max_incidence=30,
            limit=3,
            **base,
        ),
        SearchQuery(geometry={"type": "MultiPolygon", "coordinates": [BERLIN["coordinates"]]}, limit=2, **base),
    ]
    for query in queries:
        assert list(adapter.search(query))
    bodies = [json.loads(r["body"]) for r in sb.requests("/up42/catalog/hosts/") if r["method"] == "POST"]
    assert len(bodies) >= 5  # includes re-POSTs to the next link
    with prism.client() as client:
        for body in bodies:
            client.post(prism.url + "/search", json=body)
    prism.assert_clean()
    assert prism.seen.count("POST /search") == len(bodies)


def test_the_stac_contract_check_can_fail(prism):
    with prism.client() as client:
        client.post(prism.url + "/search", json={"bbox": [1, 2, 3], "limit": 0})
    with pytest.raises(AssertionError, match="limit"):
        prism.assert_clean()
    prism.violations.clear()
