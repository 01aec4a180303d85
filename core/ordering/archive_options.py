"""The product options of an archive order, per provider, with the providers' rules (Qt-free).

Sources: the OneAtlas Data guide "Order an Individual Product" (product types, image
formats, CRS, radiometric processing, which sensors take which, the minimum AOI of
0.1 km² for every product) and Geopera's guide "Ordering archive imagery"
(``licenseType``, ``splitByDate``). UP42's archive data product comes from its glossary
(the adapter picks the collection's ARCHIVE product when none is chosen).

The option keys are the ones the adapters read: OneAtlas ``productType``,
``imageFormat``, ``crsCode``, ``radiometricProcessing``, and ``productTypeNeo`` for the
Pleiades Neo captures of an order that also holds SPOT or Pleiades ones (each product of
a OneAtlas order body has its own ``productType``) (``providers/oneatlas/wire.py``);
Geopera ``license_type``, ``split_by_date`` (``providers/geopera/models.py``); UP42
``data_product`` (``providers/up42/adapter.py``).

:func:`plan_archive` turns captures + an AOI + options into one :class:`ArchiveSpec` per
provider, each capture clipped to AOI ∩ footprint; captures that do not meet the AOI are
dropped with a reason. :func:`validate` says what is wrong and how to fix it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from ..geodesy import geodesic_area_km2
from ..models import ArchiveSpec, Capture, CaptureRef, DataProduct, GeoJSON

ONEATLAS, GEOPERA, UP42 = "oneatlas", "geopera", "up42"
ARCHIVE_PROVIDERS = (GEOPERA, ONEATLAS, UP42)

# ------------------------------------------------------------------ OneAtlas (its Data guide's tables)
PRODUCT_TYPES = ("pansharpened", "bundle", "panchromatic", "multiSpectral", "pansharpened-fs", "bundle-fs")
NEO_ONLY = ("bundle-fs", "pansharpened-fs")
IMAGE_FORMATS = ("image/geotiff", "image/jp2")
RADIOMETRIC = ("DISPLAY", "REFLECTANCE", "BASIC16")
NOT_FOR_NEO = ("BASIC16",)
WGS84 = "EPSG:4326"
MIN_AOI_KM2 = 0.1
_NEO_NAMES = ("PNEO", "PLEIADESNEO", "PLEIADES NEO", "PLEIADES-NEO")

# ------------------------------------------------------------------ Geopera (its ordering guide)
LICENSE_TYPES = ("standard",)  # the only licence type Geopera's ordering guide names

#: the product options every provider's archive order takes, with the first value the default
OPTION_KEYS: Mapping[str, tuple[str, ...]] = {
    ONEATLAS: ("productType", "productTypeNeo", "imageFormat", "crsCode", "radiometricProcessing"),
    GEOPERA: ("license_type", "split_by_date"),
    UP42: ("data_product",),
}


@dataclass(frozen=True)
class Dropped:
    """A capture left out of the order, and why."""

    provider: str
    capture_id: str
    reason: str


@dataclass(frozen=True)
class PlannedSpec:
    spec: ArchiveSpec
    area_km2: float

    @property
    def summary(self) -> str:
        count = len(self.spec.captures)
        return f"{count} capture{'s' if count != 1 else ''}, {self.area_km2:.1f} km²"


@dataclass(frozen=True)
class ArchivePlan:
    specs: list[PlannedSpec] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


# ------------------------------------------------------------------ sensors
def is_neo(name: str) -> bool:
    """Whether a collection or constellation name is Pleiades Neo."""
    return name.strip().upper() in _NEO_NAMES


def is_mixed(collections: Iterable[str]) -> bool:
    """Pleiades Neo and SPOT/Pleiades captures together (two product types needed)."""
    names = [c for c in collections if c]
    return any(is_neo(c) for c in names) and any(not is_neo(c) for c in names)


def allowed_product_types(collections: Iterable[str]) -> dict[str, str]:
    """Each OneAtlas product type that does not fit ``collections``, with the reason ("" = fits)."""
    names = [c for c in collections if c]
    neo = any(is_neo(c) for c in names)
    other = any(not is_neo(c) for c in names)
    reasons: dict[str, str] = {}
    for product in PRODUCT_TYPES:
        if product in NEO_ONLY and other:
            reasons[product] = f"{product} is for Pleiades Neo images only; the selection has SPOT or Pleiades images."
        elif product not in NEO_ONLY and neo:
            reasons[product] = (
                f"{product} is for SPOT and Pleiades images; Pleiades Neo takes bundle-fs or pansharpened-fs."
            )
        else:
            reasons[product] = ""
    return reasons


def allowed_radiometric(collections: Iterable[str]) -> dict[str, str]:
    """Each radiometric processing that does not fit ``collections``, with the reason ("" = fits)."""
    neo = any(is_neo(c) for c in collections if c)
    return {
        value: (
            f"{value} is offered for SPOT and Pleiades only, not for Pleiades Neo."
            if value in NOT_FOR_NEO and neo
            else ""
        )
        for value in RADIOMETRIC
    }


# ------------------------------------------------------------------ CRS
def utm_epsg(lon: float, lat: float) -> int:
    """The EPSG code of the WGS 84 UTM zone at ``lon``, ``lat`` (326zz north, 327zz south),
    with the Norway and Svalbard exceptions."""
    lon = ((lon + 180.0) % 360.0) - 180.0
    zone = min(60, math.floor((lon + 180.0) / 6.0) + 1)
    if 56.0 <= lat < 64.0 and 3.0 <= lon < 12.0:
        zone = 32
    elif 72.0 <= lat < 84.0 and lon >= 0.0:
        if lon < 9.0:
            zone = 31
        elif lon < 21.0:
            zone = 33
        elif lon < 33.0:
            zone = 35
        elif lon < 42.0:
            zone = 37
    return (32600 if lat >= 0 else 32700) + zone


def utm_crs(area: Optional[GeoJSON] | BaseGeometry) -> Optional[str]:
    """``EPSG:326zz``/``EPSG:327zz`` of the UTM zone holding the centre of ``area``."""
    if area is None:
        return None
    geometry = area if isinstance(area, BaseGeometry) else shape(area)
    if geometry.is_empty:
        return None
    centre = geometry.centroid
    return f"EPSG:{utm_epsg(centre.x, centre.y)}"


def crs_choices(area: Optional[GeoJSON] | BaseGeometry) -> tuple[str, ...]:
    """What OneAtlas can deliver this area in: EPSG:4326 and the UTM zone of the area."""
    utm = utm_crs(area)
    return (WGS84, utm) if utm else (WGS84,)


# ------------------------------------------------------------------ UP42
def up42_products(products: Sequence[DataProduct], collections: Iterable[str]) -> list[DataProduct]:
    """UP42's ARCHIVE data products for ``collections`` (all archive products when none given)."""
    wanted = {c for c in collections if c}
    return [p for p in products if p.type.upper() == "ARCHIVE" and (not wanted or p.collection in wanted)]


# ------------------------------------------------------------------ defaults
def default_options(
    provider: str, collections: Iterable[str] = (), area: Optional[GeoJSON] | BaseGeometry = None
) -> dict[str, Any]:
    """The options an archive order of ``provider`` starts with, fitting the sensors."""
    names = list(collections)
    if provider == ONEATLAS:
        neo = bool(names) and all(is_neo(c) for c in names)
        options: dict[str, Any] = {
            "productType": "pansharpened-fs" if neo else "pansharpened",
            "imageFormat": "image/geotiff",
            "crsCode": WGS84,
            "radiometricProcessing": "DISPLAY",
        }
        if is_mixed(names):
            options["productTypeNeo"] = "pansharpened-fs"
        return options
    if provider == GEOPERA:
        return {"license_type": "standard", "split_by_date": False}
    if provider == UP42:
        return {"data_product": ""}  # "": the adapter takes the collection's ARCHIVE product
    return {}


# ------------------------------------------------------------------ spec building
def part_to_buy(footprint: GeoJSON, aoi: Optional[GeoJSON]) -> Optional[BaseGeometry]:
    """AOI ∩ footprint as polygons (the whole footprint without an AOI); None when they do
    not meet."""
    geometry = shapely.make_valid(shape(footprint))
    if aoi is not None:
        geometry = shapely.intersection(geometry, shapely.make_valid(shape(aoi)))
    polygons = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon" and not p.is_empty]
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def plan_archive(
    captures: Iterable[Capture], aoi: Optional[GeoJSON], options: Optional[Mapping[str, Mapping[str, Any]]] = None
) -> ArchivePlan:
    """One :class:`ArchiveSpec` per provider (in first-seen order) for ``captures``, each
    :class:`CaptureRef`'s geometry the part of the AOI its footprint covers; the options of
    each provider are its defaults overlaid with ``options[provider]``."""
    refs: dict[str, list[CaptureRef]] = {}
    collections: dict[str, list[str]] = {}
    areas: dict[str, float] = {}
    dropped: list[Dropped] = []
    for capture in captures:
        part = part_to_buy(capture.footprint, aoi)
        if part is None:
            dropped.append(
                Dropped(
                    capture.provider,
                    capture.id,
                    f"Capture {capture.id} ({capture.provider}) does not overlap the area of interest; "
                    "it was left out. Choose an AOI that meets its footprint to buy it.",
                )
            )
            continue
        collection = capture.collection or capture.constellation
        refs.setdefault(capture.provider, []).append(
            CaptureRef(
                id=capture.id,
                geometry=dict(mapping(part)),
                collection=collection,
                host=capture.host,
                acquired=capture.acquired,
            )
        )
        collections.setdefault(capture.provider, []).append(collection)
        areas[capture.provider] = areas.get(capture.provider, 0.0) + geodesic_area_km2(part)
    specs = []
    for provider, provider_refs in refs.items():
        chosen = default_options(provider, collections[provider], aoi)
        chosen.update((options or {}).get(provider, {}))
        specs.append(
            PlannedSpec(ArchiveSpec(provider=provider, captures=tuple(provider_refs), options=chosen), areas[provider])
        )
    return ArchivePlan(specs=specs, dropped=dropped)


def with_options(spec: ArchiveSpec, options: Mapping[str, Any]) -> ArchiveSpec:
    """``spec`` with its options replaced (the captures and their clipped parts kept)."""
    return spec.model_copy(update={"options": dict(options)})


def spec_area_km2(spec: ArchiveSpec) -> float:
    return sum(geodesic_area_km2(shape(c.geometry)) for c in spec.captures)


# ------------------------------------------------------------------ validation
def _oneatlas_crs_ok(value: str) -> bool:
    code = value.strip().upper().replace("URN:OGC:DEF:CRS:EPSG::", "").replace("EPSG:", "")
    if code == "4326":
        return True
    return code.isdigit() and code[:3] in ("326", "327") and 1 <= int(code[3:] or 0) <= 60


def validate(spec: ArchiveSpec) -> list[str]:
    """What is wrong with ``spec`` for its provider, each message saying how to fix it
    (empty when it can be sent)."""
    options = dict(spec.options)
    problems: list[str] = []
    if spec.provider == ONEATLAS:
        names = [c.collection for c in spec.captures]
        product = str(options.get("productType", ""))
        if product not in PRODUCT_TYPES:
            problems.append(f"OneAtlas product type {product!r} is unknown. Choose one of {', '.join(PRODUCT_TYPES)}.")
        known = [n for n in names if n]
        if is_mixed(known):  # productType for SPOT/Pleiades, productTypeNeo for Pleiades Neo
            others = [n for n in known if not is_neo(n)]
            neo_product = str(options.get("productTypeNeo", ""))
            if product in PRODUCT_TYPES and allowed_product_types(others)[product]:
                fits = [p for p, why in allowed_product_types(others).items() if not why]
                problems.append(
                    f"The SPOT and Pleiades product type {product} does not fit: "
                    + allowed_product_types(others)[product]
                    + f" Choose {' or '.join(fits)}."
                )
            if neo_product not in NEO_ONLY:
                problems.append(
                    f"The Pleiades Neo product type {neo_product or '(none)'} does not fit Pleiades Neo "
                    f"captures. Choose {' or '.join(NEO_ONLY[::-1])}."
                )
        elif product in PRODUCT_TYPES and allowed_product_types(known)[product]:
            fits = [p for p, why in allowed_product_types(known).items() if not why]
            problems.append(allowed_product_types(known)[product] + f" Choose {' or '.join(fits)}.")
        radiometric = str(options.get("radiometricProcessing", ""))
        if radiometric not in RADIOMETRIC:
            problems.append(
                f"OneAtlas radiometric processing {radiometric!r} is unknown. Choose one of {', '.join(RADIOMETRIC)}."
            )
        elif allowed_radiometric(known)[radiometric]:
            problems.append(allowed_radiometric(known)[radiometric] + " Choose DISPLAY or REFLECTANCE.")
        image_format = str(options.get("imageFormat", ""))
        if image_format not in IMAGE_FORMATS:
            problems.append(f"OneAtlas image format {image_format!r} is unknown. Choose image/geotiff or image/jp2.")
        crs = str(options.get("crsCode", ""))
        if not _oneatlas_crs_ok(crs):
            problems.append(
                f"OneAtlas delivers in EPSG:4326 or a WGS 84 UTM zone (EPSG:32601-32660, "
                f"32701-32760), not {crs or '(none)'}. Choose one of those."
            )
        for capture in spec.captures:
            area = geodesic_area_km2(shape(capture.geometry))
            if area < MIN_AOI_KM2:
                problems.append(
                    f"The part of capture {capture.id} inside the AOI is {area:.3f} km²; OneAtlas needs "
                    f"at least {MIN_AOI_KM2} km² for every product. Enlarge the AOI over this capture "
                    "or leave the capture out."
                )
    elif spec.provider == GEOPERA:
        licence = str(options.get("license_type", ""))
        if licence not in LICENSE_TYPES:
            problems.append(
                f"Geopera licence type {licence or '(none)'!r} is not one Nadir knows. Choose "
                f"{', '.join(LICENSE_TYPES)}."
            )
        if not isinstance(options.get("split_by_date", False), bool):
            problems.append("Geopera's 'split by date' must be on or off.")
    elif spec.provider == UP42:
        product = options.get("data_product", "")
        if product is not None and not isinstance(product, str):
            problems.append(
                "The UP42 data product must be a data product id; leave it empty to use the "
                "collection's archive product."
            )
    else:
        problems.append(f"{spec.provider} does not sell archive captures in Nadir; remove these captures.")
    return problems
