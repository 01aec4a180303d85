"""Server-side archive pricing (Geopera's guide "Ordering archive imagery": "Pricing is
always computed by the backend over the area of interest — the client never decides the
price").

Each capture is priced over its AOI clipped to the capture's footprint (the whole footprint
when no ``geometry`` is sent, as in the guide's ``{ "id": "scene-def" }``), at its
collection's credits per km² (``data.HOSTS``); 100 credits = A$1. ``groups`` (the guide:
"one per AOI/date depending on splitByDate"): captures sharing an AOI form one group, and
with ``splitByDate`` each acquisition date of that AOI is its own group. A group's
``aoi_km2`` is the area its clipped AOIs cover together; its ``credits`` the rounded-up sum
of its captures' prices. Captures that cannot be priced go to ``errors`` with a reason.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from .. import catalog, geo
from . import data


@dataclass
class Priced:
    index: int
    capture: Any
    host: str
    collection: data.Collection
    aoi: BaseGeometry
    area_km2: float
    raw_credits: float
    group: str = ""


@dataclass
class Quote:
    groups: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    items: list[Priced] = field(default_factory=list)

    @property
    def total_credits(self) -> int:
        return sum(int(g["credits"]) for g in self.groups)

    @property
    def total_aud(self) -> float:
        return round(self.total_credits / 100, 2)

    def body(self) -> dict[str, Any]:
        return {
            "groups": self.groups,
            "errors": self.errors,
            "total_aud": self.total_aud,
            "total_credits": self.total_credits,
        }


def _error(index: int, capture_id: Any, code: str, message: str) -> dict[str, Any]:
    return {"index": index, "capture": capture_id, "code": code, "message": message}


def _price_one(index: int, entry: Any) -> Priced | dict[str, Any]:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
        return _error(index, None, "invalid_capture", "a capture is an object with a string 'id' (and a geometry)")
    capture = catalog.get(entry["id"])
    if capture is None:
        return _error(index, entry["id"], "unknown_capture", f"no capture {entry['id']} in any catalog")
    found = data.collection_of(capture.constellation)
    if found is None or found[1].credits_per_km2 is None:
        title = found[1].title if found else capture.constellation
        return _error(
            index, entry["id"], "unsupported_product", f"{title} is open data and cannot be ordered through Geopera"
        )
    host, item = found
    footprint = shape(capture.footprint)
    if entry.get("geometry") is None:
        aoi = footprint
    else:
        try:
            aoi = geo.polygonal_part(geo.parse_polygonal(entry["geometry"]).intersection(footprint))
        except geo.GeometryError as exc:
            return _error(index, entry["id"], "invalid_geometry", str(exc))
        if aoi.is_empty:
            return _error(index, entry["id"], "no_overlap", f"the geometry does not intersect capture {entry['id']}")
    area = geo.area_km2(aoi)
    return Priced(index, capture, host, item, aoi, area, area * float(item.credits_per_km2 or 0))


def quote(captures: list[Any], split_by_date: bool) -> Quote:
    result = Quote()
    for index, entry in enumerate(captures):
        priced = _price_one(index, entry)
        if isinstance(priced, dict):
            result.errors.append(priced)
            continue
        geometry = entry.get("geometry")
        key = json.dumps(geometry, sort_keys=True) if geometry is not None else f"footprint:{priced.capture.id}"
        date = priced.capture.datetime.strftime("%Y-%m-%d")
        priced.group = f"{key}|{date}" if split_by_date else key
        result.items.append(priced)
    order: list[str] = []
    for item in result.items:
        if item.group not in order:
            order.append(item.group)
    for key in order:
        members = [i for i in result.items if i.group == key]
        credits = math.ceil(sum(i.raw_credits for i in members))
        group: dict[str, Any] = {
            "captures": [i.capture.id for i in members],
            "aoi_km2": round(geo.area_km2(unary_union([i.aoi for i in members])), 2),
            "credits": credits,
            "aud": round(credits / 100, 2),
        }
        if split_by_date:
            group["date"] = members[0].capture.datetime.strftime("%Y-%m-%d")
        result.groups.append(group)
    return result
