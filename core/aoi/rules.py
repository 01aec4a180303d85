"""What each provider accepts as an AOI: one table, and the check that applies it.

The UI, the ordering flow and the Processing algorithm all ask :func:`check` (or
:func:`check_all`); none of them knows a number from this table.

Sources, per rule:

* OneAtlas: "your AOI must be minimum 0.1km² for all products" (OneAtlas Data Guide).
* ClearSKY: "Polygons are billed at a minimum of 1 km²" (ClearSKY's pricing
  page, docs/billing/order-pricing), and the estimate returns
  ``AreaKm2BeforeMinimum1Km2PerAoi``: smaller AOIs are accepted and billed as 1 km², so
  this is a warning, not an error. The largest AOI is per account
  (``MaxCompositeAreaKm2`` from ``/api/account/info``), so it is passed in by the caller
  that has fetched it, never fixed here.
* UP42: at most 999 vertices per AOI (UP42's limit); counted as GeoJSON positions, closing
  points included, so an AOI that passes here passes however UP42 counts. Tasking products
  take exactly one ``Polygon`` (the data product schema's ``geometry`` is
  ``{"const": "Polygon"}`` in the UP42 SDK's fixture
  ``sandbox/contract_data/up42/sdk-fixtures/data_product_schema_phr_tasking.json``): a
  multipolygon AOI gets a warning with the offer to split it.
* Geopera: no AOI limits are documented (Geopera's OpenAPI,
  ``sandbox/contract_data/geopera/openapi.json``, gives none).
* No provider documents a fixed maximum area; where one is learned at run time it is
  passed as ``max_area_km2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..provider_info import PROVIDERS
from .model import Aoi, Code, Fix, Problem, Severity, Where


@dataclass(frozen=True)
class AoiRules:
    provider: str
    min_area_km2: Optional[float] = None  # smaller is refused
    billed_min_area_km2: Optional[float] = None  # smaller is accepted, billed at this
    max_area_km2: Optional[float] = None  # larger is refused
    max_vertices: Optional[int] = None
    single_polygon: bool = False  # a multipolygon must be split (warning)
    source: str = ""

    @property
    def title(self) -> str:
        return PROVIDERS[self.provider].title if self.provider in PROVIDERS else self.provider


RULES: dict[str, AoiRules] = {
    "clearsky": AoiRules(
        "clearsky",
        billed_min_area_km2=1.0,
        source="ClearSKY order pricing: polygons are billed at a minimum of 1 km²",
    ),
    "up42": AoiRules(
        "up42",
        max_vertices=999,
        single_polygon=True,
        source="UP42: 999 vertices per AOI; a tasking product's schema takes one Polygon",
    ),
    "geopera": AoiRules("geopera", source="Geopera's OpenAPI: no AOI limits"),
    "oneatlas": AoiRules("oneatlas", min_area_km2=0.1, source="OneAtlas Data Guide: minimum 0.1 km² for all products"),
}


def rules_for(provider: str) -> AoiRules:
    try:
        return RULES[provider]
    except KeyError:
        raise KeyError(f"no AOI rules for provider {provider!r}; known: {', '.join(RULES)}") from None


def _area(value: float) -> str:
    return f"{value:,.3f} km²" if value < 10 else f"{value:,.1f} km²"


def check(aoi: Aoi, provider: str, max_area_km2: Optional[float] = None) -> list[Problem]:
    """The problems ``aoi`` has for ``provider`` (empty: the provider accepts it).

    ``max_area_km2`` is an account limit learned at run time (ClearSKY's
    ``MaxCompositeAreaKm2``); it tightens the table's maximum, never loosens it.
    """
    rules = rules_for(provider)
    title = rules.title
    problems: list[Problem] = []
    where = Where()
    if rules.min_area_km2 is not None and aoi.area_km2 < rules.min_area_km2:
        problems.append(
            Problem(
                Code.TOO_SMALL,
                Severity.ERROR,
                f"{title} needs an AOI of at least {_area(rules.min_area_km2)}; this one is {_area(aoi.area_km2)}.",
                "Draw a larger area around it.",
                where,
                None,
                provider,
            )
        )
    if rules.billed_min_area_km2 is not None and aoi.area_km2 < rules.billed_min_area_km2:
        problems.append(
            Problem(
                Code.BILLED_MINIMUM,
                Severity.WARNING,
                f"{title} bills every polygon AOI as at least {_area(rules.billed_min_area_km2)}; this one is "
                f"{_area(aoi.area_km2)}, so you pay for {_area(rules.billed_min_area_km2)}.",
                "Enlarge it to get the area you pay for, or merge it with a neighbouring AOI.",
                where,
                None,
                provider,
            )
        )
    limits = [v for v in (rules.max_area_km2, max_area_km2) if v is not None]
    if limits and aoi.area_km2 > min(limits):
        limit = min(limits)
        if max_area_km2 is not None and limit == max_area_km2:  # the account's own limit
            text = (
                f"{title} delivers areas up to {_area(limit)} for your account; this one is "
                f"{_area(aoi.area_km2)}: it could be ordered and billed, but not loaded."
            )
        else:
            text = f"{title} accepts AOIs up to {_area(limit)}; this one is {_area(aoi.area_km2)}."
        problems.append(
            Problem(
                Code.TOO_LARGE,
                Severity.ERROR,
                text,
                "Split it into smaller AOIs or draw a smaller area.",
                where,
                None,
                provider,
            )
        )
    if rules.max_vertices is not None and aoi.vertex_count > rules.max_vertices:
        problems.append(
            Problem(
                Code.TOO_MANY_VERTICES,
                Severity.ERROR,
                f"{title} accepts at most {rules.max_vertices} vertices per AOI; this one has {aoi.vertex_count:,}.",
                "Use Simplify: it finds the smallest tolerance that fits and shows the result before you accept it.",
                where,
                Fix.SIMPLIFY,
                provider,
            )
        )
    if rules.single_polygon and aoi.polygon_count > 1:
        problems.append(
            Problem(
                Code.NOT_SINGLE_POLYGON,
                Severity.WARNING,
                f"{title} tasking takes one polygon per order; this AOI has {aoi.polygon_count}.",
                "Use Split to make one AOI per polygon.",
                where,
                Fix.EXPLODE,
                provider,
            )
        )
    return problems


def check_all(aoi: Aoi, max_areas: Optional[dict[str, float]] = None) -> dict[str, list[Problem]]:
    """:func:`check` for every provider in the table."""
    limits = max_areas or {}
    return {provider: check(aoi, provider, limits.get(provider)) for provider in RULES}


def accepts(aoi: Aoi, provider: str, max_area_km2: Optional[float] = None) -> bool:
    """True if ``aoi`` is valid and has no error for ``provider``."""
    return aoi.valid and not any(p.is_error for p in check(aoi, provider, max_area_km2))
