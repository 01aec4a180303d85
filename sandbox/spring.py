"""Spring Data "Page" envelopes, as UP42 v2 lists (and Geopera's provider-compatible
``orders.list``) return them.

The envelope is copied key for key from UP42's SDK fixtures
(``contract_data/up42/sdk-fixtures/get_quotations_*.json``): ``content``, ``pageable``,
``totalPages``, ``totalElements``, ``last``, ``sort``, ``numberOfElements``, ``first``,
``size``, ``number``, ``empty``. Pages are 0-based (``page=0`` is the first; the SDK
loops until ``page >= totalPages``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any


class PagingError(ValueError):
    """A ``page``/``size``/``sort`` value the server refuses."""


def parse_int(name: str, raw: str | int | None, default: int, low: int, high: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise PagingError(f"'{name}' must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise PagingError(f"'{name}' must be between {low} and {high}, got {value}")
    return value


def parse_sort(raw: str | None, allowed: Sequence[str], default: str) -> tuple[str, bool]:
    """``field,asc|desc`` -> (field, descending)."""
    text = raw or default
    field, _, direction = text.partition(",")
    direction = (direction or "asc").strip().lower()
    if field not in allowed:
        raise PagingError(f"cannot sort by {field!r}; sortable fields: {', '.join(allowed)}")
    if direction not in ("asc", "desc"):
        raise PagingError(f"sort direction must be 'asc' or 'desc', got {direction!r}")
    return field, direction == "desc"


Doc = dict[str, Any]


def parse_paging(
    query: Any, sortable: Sequence[str], default_sort: str, default_size: int = 20
) -> tuple[int, int, str, bool]:
    """``page`` (0-based), ``size`` (1..500) and ``sort`` from a query mapping."""
    number = parse_int("page", query.get("page"), 0, 0, 1_000_000)
    size = parse_int("size", query.get("size"), default_size, 1, 500)
    field, descending = parse_sort(query.get("sort"), sortable, default_sort)
    return number, size, field, descending


def sort_docs(docs: list[Doc], key: Callable[[Doc], Any], descending: bool) -> list[Doc]:
    """Stable sort with the document id as tie-breaker, so pages never overlap."""
    ordered = sorted(docs, key=lambda d: str(d.get("id", "")))
    return sorted(ordered, key=key, reverse=descending)


def page(items: Sequence[Any], number: int, size: int, sorted_: bool = True) -> dict[str, Any]:
    total = len(items)
    content = list(items[number * size : (number + 1) * size])
    total_pages = math.ceil(total / size) if size else 0
    sort = {"sorted": sorted_, "unsorted": not sorted_, "empty": not sorted_}
    return {
        "content": content,
        "pageable": {
            "sort": dict(sort),
            "pageNumber": number,
            "pageSize": size,
            "offset": number * size,
            "paged": True,
            "unpaged": False,
        },
        "totalPages": total_pages,
        "totalElements": total,
        "last": number >= total_pages - 1,
        "sort": dict(sort),
        "numberOfElements": len(content),
        "first": number == 0,
        "size": size,
        "number": number,
        "empty": not content,
    }
