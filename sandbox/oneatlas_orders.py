"""OneAtlas Living Library product orders: validation, price, lifecycle, delivered files.

From the OneAtlas Data Guide ("Order an Individual Product") and Airbus's Living Library
OpenAPI. Decisions where they are silent or disagree are commented where they apply.
"""

from __future__ import annotations

import math
import re
import threading
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.validation import explain_validity

from . import catalog, geodesy, raster

# kind: the guide's prose says order.data.product; the spec's pattern (and the guide's own
# Python snippet and response payload) say order.product. Both are accepted as the same
# km² product order and echoed as sent; list filters treat them as one.
KINDS = ("order.data.product", "order.product")
SENSORS = {"PHR": "PHR", "SPOT": "SPOT", "PNEO": "PNEO"}
# product types and radiometric processings with their sensors (the guide's tables; the spec's
# enums are subsets: it lacks panchromatic, multiSpectral and BASIC16)
PRODUCT_TYPES = {
    "bundle": ("SPOT", "PHR"),
    "pansharpened": ("SPOT", "PHR"),
    "panchromatic": ("SPOT", "PHR"),
    "multiSpectral": ("SPOT", "PHR"),
    "bundle-fs": ("PNEO",),
    "pansharpened-fs": ("PNEO",),
}
RADIOMETRY = {"BASIC16": ("SPOT", "PHR"), "REFLECTANCE": ("SPOT", "PHR", "PNEO"), "DISPLAY": ("SPOT", "PHR", "PNEO")}
FORMATS = {"image/jp2": "JP2", "image/geotiff": "GTiff"}
CRS = re.compile(r"^urn:ogc:def:crs:EPSG::(4326|32[67](0[1-9]|[1-5][0-9]|60))$")
MIN_AOI_KM2 = 0.1  # the guide: "Note: When ordering a product your AOI must be minimum 0.1km²"
MAX_PRODUCTS = 50  # not documented; chosen
# km² price per sensor: not documented (the guide's example is a GB subscription in kB).
# Chosen: EUR per km², the /me example's amountUnit/balanceUnit.
EUR_PER_KM2 = {"PNEO": 14.0, "PHR": 10.0, "SPOT": 3.0}
DELIVERY_S = 300.0  # "Within a few minutes your status will change from ordered to delivered"
MAX_PIXELS = 1024


class OrderError(Exception):
    def __init__(self, status: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.status, self.message, self.hint = status, message, hint


def validate(body: Any) -> list[dict[str, Any]]:
    """Checked products with their capture, geometry and area, or :class:`OrderError` (400)."""
    if not isinstance(body, dict):
        raise OrderError(400, "The request body must be a JSON object with kind and products.")
    if body.get("kind") not in KINDS:
        raise OrderError(400, f"kind must be one of {', '.join(KINDS)}.", "See the Order API guide.")
    products = body.get("products")
    if not isinstance(products, list) or not products:
        raise OrderError(400, "products must be a non-empty array.")
    if len(products) > MAX_PRODUCTS:
        raise OrderError(400, f"At most {MAX_PRODUCTS} products per order.")
    return [_product(index, product) for index, product in enumerate(products)]


def _product(index: int, product: Any) -> dict[str, Any]:
    where = f"products[{index}]"
    if not isinstance(product, dict):
        raise OrderError(400, f"{where} must be an object.")
    # the spec also allows a sourceId instead of the catalog id; the guide always sends id,
    # and the sandbox resolves ids only (a sourceId index would cover the whole archive)
    missing = [
        k for k in ("id", "aoi", "productType", "radiometricProcessing", "imageFormat", "crsCode") if k not in product
    ]
    if missing:
        raise OrderError(400, f"{where} misses {', '.join(missing)}.")
    capture = catalog.get(str(product["id"]))
    if capture is None or capture.constellation not in SENSORS:
        raise OrderError(
            400,
            f"{where}.id {product.get('id', product.get('sourceId'))} is not a Living Library "
            "product (search it with /api/v2/opensearch).",
        )
    sensor = capture.constellation
    product_type, radiometry, fmt, crs = (
        product[k] for k in ("productType", "radiometricProcessing", "imageFormat", "crsCode")
    )
    if product_type not in PRODUCT_TYPES:
        raise OrderError(400, f"{where}.productType must be one of {', '.join(PRODUCT_TYPES)}.")
    if sensor not in PRODUCT_TYPES[product_type]:
        raise OrderError(
            400,
            f"{where}.productType {product_type} is not available for {sensor} products.",
            "bundle-fs and pansharpened-fs are for Pleiades Neo, the others for SPOT and Pleiades.",
        )
    if radiometry not in RADIOMETRY:
        raise OrderError(400, f"{where}.radiometricProcessing must be one of {', '.join(RADIOMETRY)}.")
    if sensor not in RADIOMETRY[radiometry]:
        raise OrderError(400, f"{where}.radiometricProcessing {radiometry} is not available for {sensor} products.")
    if fmt not in FORMATS:
        raise OrderError(400, f"{where}.imageFormat must be image/jp2 or image/geotiff.")
    if not isinstance(crs, str) or not CRS.match(crs):
        raise OrderError(
            400,
            f"{where}.crsCode must be urn:ogc:def:crs:EPSG::4326 or a WGS 84 UTM zone "
            "(urn:ogc:def:crs:EPSG::326xx / 327xx).",
        )
    aoi = product["aoi"]
    try:
        geometry = shape(aoi)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError) as exc:
        raise OrderError(400, f"{where}.aoi is not a GeoJSON geometry: {exc}") from exc
    if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
        raise OrderError(400, f"{where}.aoi must be a Polygon or MultiPolygon.")
    if not geometry.is_valid:
        raise OrderError(400, f"{where}.aoi is invalid: {explain_validity(geometry)}.")
    area = geodesy.geodesic_area_km2(geometry)
    if area < MIN_AOI_KM2:
        raise OrderError(400, f"{where}.aoi covers {area:.4f} km²; the minimum is {MIN_AOI_KM2} km².")
    footprint = shape(capture.footprint)
    if not footprint.intersects(geometry):
        raise OrderError(400, f"{where}.aoi does not intersect the product's footprint.")
    return {"product": product, "capture": capture, "area": area, "covered": footprint.buffer(1e-9).covers(geometry)}


def price(checked: list[dict[str, Any]]) -> float:
    return round(sum(c["area"] * EUR_PER_KM2[c["capture"].constellation] for c in checked), 2)


def status(order: dict[str, Any], now: datetime) -> str:
    """ordered -> delivered after DELIVERY_S; rejected at once without balance; error if an
    AOI reaches beyond its product's footprint (that part cannot be produced)."""
    if order["final"] in ("rejected",):
        return "rejected"
    created = datetime.fromtimestamp(order["created_ts"], tz=timezone.utc)
    if now < created + timedelta(seconds=DELIVERY_S):
        return "ordered"
    return order["final"]


def bands_for(product_type: str) -> list[tuple[str, list[str]]]:
    """(file suffix, spectra) per delivered raster: a bundle is a PAN and an MS file."""
    ms = ["blue", "green", "red", "nir"]
    return {
        "bundle": [("P", ["pan"]), ("MS", ms)],
        "bundle-fs": [("P", ["pan"]), ("MS", ms)],
        "panchromatic": [("P", ["pan"])],
        "multiSpectral": [("MS", ms)],
        "pansharpened": [("PMS", ms)],
        "pansharpened-fs": [("PMS", ms)],
    }[product_type]


_lock = threading.Lock()


def delivery_zip(folder: Path, delivery: dict[str, Any]) -> Path:
    """The delivered product: a zip of JP2 (with its .aux.xml) or GeoTIFF file(s) covering the AOI."""
    path = folder / f"{delivery['id']}.zip"
    with _lock:
        if path.exists():
            return path
        datas = delivery["datas"]
        work = folder / f".{delivery['id']}"
        work.mkdir(parents=True, exist_ok=True)
        epsg = int(datas["crsCode"].rsplit(":", 1)[1])
        fmt = FORMATS[datas["imageFormat"]]
        dtype = "uint8" if datas["radiometricProcessing"] == "DISPLAY" else "uint16"
        extension = "JP2" if fmt == "JP2" else "TIF"
        members = []
        for suffix, spectra in bands_for(datas["productType"]):
            name = f"IMG_{datas['sourceId']}_{suffix}.{extension}"
            out = raster.make_delivery(
                datas["aoi"],
                work / name,
                fmt=fmt,
                seed=datas["id"],
                dtype=dtype,
                epsg=epsg,
                spectra=spectra,
                max_pixels=MAX_PIXELS if suffix != "MS" else MAX_PIXELS // 4,
            )
            members.append(out)
            aux = out.with_name(out.name + ".aux.xml")
            if aux.exists():
                members.append(aux)
        tmp = path.with_name(path.name + ".part")
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
            for member in members:
                archive.write(member, arcname=f"{datas['sourceId']}/{member.name}")
        tmp.replace(path)
        for member in members:
            member.unlink()
        work.rmdir()
    return path


def crs_epsg(code: str) -> int:
    return int(code.rsplit(":", 1)[1])


def ceil_pages(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))
