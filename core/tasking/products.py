"""Tasking products, their access and the order specs made from a filled form (task work).

UP42 lists its tasking collections and their data products in the glossary; a collection
that needs approval can only be ordered once the account's access request was granted
(UP42's "Place an order" guide: "Request Access to [collection name]" in the console, a
decision by e-mail within 7 days, the status on the Access Requests page). These functions
run in tasks; the Tasking section shows what they return.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..models import AccessStatus, DataProduct, TaskingSpec
from .geometry import Multipart, TaskingGeometry, tasking_geometry

#: where an account asks for access (UP42 console: Tasking > New tasking order > Request Access)
CONSOLE_URL = "https://console.up42.com"


def tasking_products(adapter: Any) -> list[DataProduct]:
    """The account's tasking data products with their access status, granted ones first."""
    try:
        products = [p for p in adapter.data_products() if p.type.upper() == "TASKING"]
    finally:
        adapter.close()
    order = {
        AccessStatus.GRANTED: 0,
        AccessStatus.REQUESTED: 1,
        AccessStatus.UNKNOWN: 2,
        AccessStatus.NOT_REQUESTED: 3,
        AccessStatus.DENIED: 4,
    }
    return sorted(products, key=lambda p: (order.get(p.access, 5), p.collection_title, p.title))


def product_schema(adapter: Any, data_product_id: str) -> dict[str, Any]:
    try:
        schema = adapter.product_schema(data_product_id)
    finally:
        adapter.close()
    return dict(schema)


def tasking_specs(
    product: DataProduct,
    params: Mapping[str, Any],
    aoi: Any,
    multipart: Multipart,
    simplify: bool,
    display_name: str = "",
) -> tuple[list[TaskingSpec], TaskingGeometry]:
    """One spec per polygon UP42 will task (split AOIs make several orders), and the
    geometry with what was changed to fit UP42's rules. ``aoi`` is a shapely (Multi)Polygon
    in EPSG:4326. Raises :class:`core.errors.InputError` with what to do."""
    geometry = tasking_geometry(aoi, multipart, simplify=simplify)
    clean = {k: v for k, v in params.items() if k not in ("geometry", "aoi")}
    name = display_name or str(clean.get("displayName") or "")
    specs = []
    for index in range(len(geometry.polygons)):
        label = name if len(geometry.polygons) == 1 else f"{name} ({index + 1}/{len(geometry.polygons)})"
        specs.append(
            TaskingSpec(
                data_product_id=product.id, params=clean, geometry=geometry.geojson(index), display_name=label.strip()
            )
        )
    return specs, geometry
