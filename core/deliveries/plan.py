"""The plan of a delivery: which assets of an order to fetch or stream,
where their files go, what to call them, and what a layer must say about them.

Qt-free. The download task (``core/deliveries/fetch.py``) carries the plan out; the layer
code (``toolbelt/deliveries/layers.py``) turns :class:`Provenance` into QGIS layer metadata.

Decisions, where the documents are silent:

- One folder per order under the download folder: ``<provider>_<order id>``, with every
  character that is not portable across Windows, macOS and Linux replaced, Windows'
  reserved device names avoided and the length capped; when the id had to be changed a
  short hash of the original is appended, so two ids never share a folder.
- STAC items (Geopera, UP42) resolve to their raster data assets: thumbnails, overviews
  and metadata are skipped; when an item marks some assets with the ``data`` role, only
  those are fetched.
- True colour comes from band colour interpretation, then band names (red/green/blue);
  three or more unnamed bands are taken as red, green, blue in file order.
- Attribution: what the provider sent, plus the licence notices the constellations
  require (Copernicus Sentinel, Landsat/USGS, Pléiades/SPOT/Pléiades Neo).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from enum import Enum
from pathlib import PurePosixPath
from typing import Any, Optional
from urllib.parse import unquote, urlsplit, urlunsplit

from pydantic import Field

from ..models import Asset, Model
from ..provider_info import PROVIDERS
from ..redaction import scrub_urls

# ------------------------------------------------------------------------ names
#: Characters Windows refuses in file names, plus the path separators of every OS.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME = 80
#: The per-order manifest (core.deliveries.files): no download or unpack folder takes its name.
MANIFEST = "nadir-delivery.json"


def _digest(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def safe_name(text: str, *, fallback: str = "item", max_length: int = MAX_NAME) -> str:
    """``text`` as one file or folder name valid on Windows, macOS and Linux.

    Unsafe characters become ``_``, leading and trailing dots and spaces go (Windows drops
    them silently), reserved device names get a ``_`` prefix, and the result is cut to
    ``max_length`` characters. When anything had to change, a short hash of the original is
    appended, so different inputs never collapse into one name."""
    normalised = unicodedata.normalize("NFC", text)
    cleaned = _UNSAFE.sub("_", normalised).strip(" .")
    cleaned = re.sub(r"_{2,}", "_", cleaned)
    if not cleaned:
        cleaned = fallback
    stem = cleaned.split(".")[0]
    if stem.upper() in _RESERVED:
        cleaned = "_" + cleaned
    if cleaned == normalised and len(cleaned) <= max_length:
        return cleaned
    tag = "-" + _digest(text)
    return cleaned[: max_length - len(tag)].rstrip(" .") + tag


def order_folder_name(provider: str, order_id: str) -> str:
    """The per-order folder under the download folder: ``<provider>_<order id>``."""
    return safe_name(f"{provider}_{order_id}", fallback=provider)


def short_order_id(order_id: str, length: int = 8) -> str:
    return order_id if len(order_id) <= length else order_id[:length]


def provider_title(provider: str) -> str:
    info = PROVIDERS.get(provider)
    return info.title if info else provider


def group_name(provider: str, order_id: str, title: str = "") -> str:
    """The layer-tree group of an order: ``<provider> <order id short>``, or with the
    order's title (the cart item's name for orders Nadir placed) ``<provider>: <title>
    (<order id short>)``."""
    if title:
        return f"{provider_title(provider)}: {title} ({short_order_id(order_id)})"
    return f"{provider_title(provider)} {short_order_id(order_id)}"


# ------------------------------------------------------------------------ file types
RASTER_SUFFIXES = (".tif", ".tiff", ".jp2", ".j2k", ".img", ".vrt", ".ntf", ".nitf")
ARCHIVE_SUFFIXES = (".zip",)
_SUFFIX_BY_TYPE = (
    ("geotiff", ".tif"),
    ("image/tiff", ".tif"),
    ("image/tif", ".tif"),
    ("jp2", ".jp2"),
    ("jpeg2000", ".jp2"),
    ("application/zip", ".zip"),
    ("application/x-zip", ".zip"),
)
SKIPPED_ROLES = frozenset({"thumbnail", "overview", "metadata", "quicklook", "browse"})


def url_path_suffix(href: str) -> str:
    """The lower-case suffix of the last path segment of a URL (``""`` if none)."""
    path = unquote(urlsplit(href).path)
    return PurePosixPath(path).suffix.lower()


def suffix_for(asset: Asset) -> str:
    """The file suffix of an asset: from its media type, else from its URL, else ``.bin``."""
    media = asset.media_type.lower()
    for marker, suffix in _SUFFIX_BY_TYPE:
        if marker in media:
            return suffix
    from_url = url_path_suffix(asset.href)
    if from_url in RASTER_SUFFIXES + ARCHIVE_SUFFIXES:
        return from_url
    return ".bin"


def is_archive(asset: Asset) -> bool:
    return suffix_for(asset) in ARCHIVE_SUFFIXES


def is_raster_path(name: str) -> bool:
    return PurePosixPath(name.lower()).suffix in RASTER_SUFFIXES


def is_raster_asset(asset: Asset) -> bool:
    suffix = suffix_for(asset)
    return suffix in RASTER_SUFFIXES + ARCHIVE_SUFFIXES


def item_of(asset: Asset) -> str:
    """The STAC item an asset belongs to (its own id when it is not a STAC asset)."""
    item = asset.extra.get("item_id")
    return str(item) if item else asset.id


def asset_file_name(asset: Asset) -> str:
    """A safe file name for an asset: the URL's file name when it has a known suffix, else
    the asset's id (and item) with the suffix of its media type."""
    suffix = suffix_for(asset)
    url_name = PurePosixPath(unquote(urlsplit(asset.href).path)).name
    if url_path_suffix(asset.href) == suffix and url_name:
        base = url_name[: -len(suffix)]
    else:
        base = asset.id.replace("/", "_").replace(":", "_")
        kind = asset.extra.get("kind")
        if isinstance(kind, str) and kind and not base.startswith(kind):
            base = f"{kind}_{base}"
    return safe_name(base, fallback="asset", max_length=MAX_NAME - len(suffix)) + suffix


def strip_query(href: str) -> str:
    """``href`` without query string, fragment or user info (a signed link's signature, a
    token in the query) — what may be shown or stored as the source of a layer."""
    parts = urlsplit(href)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


# ------------------------------------------------------------------------ plan
class Mode(str, Enum):
    DOWNLOAD = "download"  # files only, every asset downloaded
    STREAM = "stream"  # stream what can be streamed, download the rest


class Action(str, Enum):
    DOWNLOAD = "download"
    STREAM = "stream"


class PlannedAsset(Model):
    asset: Asset
    action: Action
    file_name: str  # under the order folder (downloads); the archive's name for zips
    unpack: bool = False
    #: for zips, the folder (under the order folder) they are unpacked into: never the name of
    #: another download or of its ``.part`` resume file
    unpack_folder: str = ""


class DeliveryPlan(Model):
    provider: str
    order_id: str
    folder_name: str
    items: tuple[PlannedAsset, ...] = ()
    skipped: tuple[Asset, ...] = ()

    @property
    def downloads(self) -> tuple[PlannedAsset, ...]:
        return tuple(i for i in self.items if i.action is Action.DOWNLOAD)

    @property
    def streams(self) -> tuple[PlannedAsset, ...]:
        return tuple(i for i in self.items if i.action is Action.STREAM)


def can_stream(asset: Asset) -> bool:
    """A cloud-optimised GeoTIFF reachable over HTTP(S) with range requests."""
    scheme = urlsplit(asset.href).scheme.lower()
    return asset.streamable and scheme in ("http", "https") and not is_archive(asset)


def select_assets(assets: Iterable[Asset]) -> tuple[list[Asset], list[Asset]]:
    """(assets to fetch, assets skipped): raster or archive assets without a thumbnail,
    overview or metadata role; per STAC item, the ``data``-role ones when any is marked."""
    by_item: dict[str, list[Asset]] = {}
    skipped: list[Asset] = []
    for asset in assets:
        roles = {r.lower() for r in asset.roles}
        if (roles & SKIPPED_ROLES and "data" not in roles) or not is_raster_asset(asset):
            skipped.append(asset)
            continue
        by_item.setdefault(item_of(asset), []).append(asset)
    chosen: list[Asset] = []
    for candidates in by_item.values():
        data = [a for a in candidates if "data" in {r.lower() for r in a.roles}]
        chosen += data or candidates
        skipped += [a for a in candidates if data and a not in data]
    return chosen, skipped


def plan_delivery(provider: str, order_id: str, assets: Iterable[Asset], mode: Mode = Mode.DOWNLOAD) -> DeliveryPlan:
    """What to do with each asset of an order, with unique file names in its folder."""
    chosen, skipped = select_assets(assets)
    used: set[str] = set()
    items = []
    for asset in chosen:
        name = asset_file_name(asset)
        stem, dot, suffix = name.rpartition(".")
        candidate, counter = name, 2
        while candidate.lower() in used:
            candidate = f"{stem}-{counter}{dot}{suffix}"
            counter += 1
        used.add(candidate.lower())
        stream = mode is Mode.STREAM and can_stream(asset)
        items.append(
            PlannedAsset(
                asset=asset,
                action=Action.STREAM if stream else Action.DOWNLOAD,
                file_name=candidate,
                unpack=is_archive(asset),
            )
        )
    taken = {MANIFEST, MANIFEST + ".part"} | used | {name + ".part" for name in used}
    for index, item in enumerate(items):
        if item.unpack:
            folder = _unused(PurePosixPath(item.file_name).stem, taken)
            taken.add(folder.lower())
            items[index] = item.model_copy(update={"unpack_folder": folder})
    return DeliveryPlan(
        provider=provider,
        order_id=order_id,
        folder_name=order_folder_name(provider, order_id),
        items=tuple(items),
        skipped=tuple(skipped),
    )


def _unused(base: str, taken: set[str]) -> str:
    """``base``, or ``base-files``, ``base-files-2``... whichever is not in ``taken`` (lower case)."""
    candidate, counter = base, 1
    while candidate.lower() in taken:
        candidate = f"{base}-files" if counter == 1 else f"{base}-files-{counter}"
        counter += 1
    return candidate


# ------------------------------------------------------------------------ bands
_NAMES = {
    "red": ("red", "r", "rouge", "rot"),
    "green": ("green", "g", "vert", "grun", "grün"),
    "blue": ("blue", "b", "bleu", "blau"),
}


def _colour_of(description: str) -> Optional[str]:
    words = re.findall(r"[a-zà-ü]+", description.lower())
    for colour, names in _NAMES.items():
        if any(word in names for word in words):
            # "red edge" and "near infrared" are not the visible red
            if colour == "red" and ({"edge", "rededge"} & set(words) or "infrared" in words):
                continue
            return colour
    return None


def true_colour_bands(
    descriptions: Sequence[str], colour_interpretations: Sequence[str] = ()
) -> Optional[tuple[int, int, int]]:
    """1-based (red, green, blue) band numbers for a true-colour rendering, or None for a
    single-band (grey) rendering.

    Colour interpretation wins (GDAL's ``Red``/``Green``/``Blue``), then band names
    ("red", "B04 (red)", "Blue"...); three or more bands without either are taken as
    red, green, blue in file order."""
    count = max(len(descriptions), len(colour_interpretations))
    found: dict[str, int] = {}
    for index, interpretation in enumerate(colour_interpretations):
        colour = interpretation.strip().lower()
        if colour in ("red", "green", "blue") and colour not in found:
            found[colour] = index + 1
    if len(found) < 3:
        found = {}
        for index, description in enumerate(descriptions):
            named = _colour_of(description or "")
            if named and named not in found:
                found[named] = index + 1
    if len(found) == 3:
        return found["red"], found["green"], found["blue"]
    if count >= 3:
        return 1, 2, 3
    return None


# ------------------------------------------------------------------------ provenance
_NOTICES = (
    (("sentinel", "copernicus", "s1", "s2", "s3"), "Contains modified Copernicus Sentinel data {year}"),
    (("landsat",), "Landsat data courtesy of the U.S. Geological Survey"),
    (("pneo", "pleiades neo", "pléiades neo", "pleiadesneo"), "© Airbus DS {year}"),
    (("phr", "pleiades", "pléiades"), "© CNES {year}, Distribution Airbus DS"),
    (("spot",), "© Airbus DS {year}"),
)
_PROVIDER_NOTICE = {"oneatlas": "© Airbus DS {year}", "clearsky": "ClearSKY Vision"}


def _hints(asset: Asset) -> list[str]:
    hints = [asset.product or "", asset.title]
    for key in ("sensor", "constellation", "platform", "collection", "collection_name", "mission"):
        value = asset.extra.get(key)
        if isinstance(value, str):
            hints.append(value)
    request = asset.extra.get("request")
    if isinstance(request, Mapping):
        for value in request.get("SatelliteConstellations") or ():
            hints.append(str(value))
    return [h.lower() for h in hints if h]


def _matches(hint: str, marker: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(marker)}(?![a-z])", hint) is not None


def _comparable(text: str) -> str:
    """A notice without years, symbols and case, to spot the same notice written twice."""
    return re.sub(r"[^a-z]+", " ", text.lower()).strip()


#: Airbus dataset identifiers carry the acquisition time: DS_PHR1B_202512311036401_FR1_...
_AIRBUS_SOURCE = re.compile(r"^DS_[A-Z0-9]+_(\d{14})")


def acquired_of(asset: Asset) -> Optional[datetime]:
    """The capture (or image) date of an asset: its own, else the one an Airbus dataset
    identifier (``sourceId``) encodes."""
    if asset.acquired is not None:
        return asset.acquired
    source = asset.extra.get("sourceId")
    match = _AIRBUS_SOURCE.match(source) if isinstance(source, str) else None
    if match:
        try:
            return datetime.strptime(match.group(1), "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
        except ValueError:
            return None
    return None


def attribution_for(asset: Asset) -> str:
    """The attribution a layer of this asset must carry: the provider's own text, then
    each notice its constellations' licences require, without repeats."""
    acquired = acquired_of(asset)
    year = str(acquired.year) if acquired else ""
    texts: list[str] = []

    def add(text: str) -> None:
        for raw in text.split(";"):
            piece = re.sub(r"\s+,", ",", raw.format(year=year)).replace("  ", " ").strip(" ,")
            key = _comparable(piece)
            if not key or any(key in _comparable(t) for t in texts):
                return  # said already, maybe more precisely
            broader = [i for i, t in enumerate(texts) if _comparable(t) in key]
            if broader:  # this notice says more than an earlier one ("© Airbus DS"): it takes its place
                texts[broader[0]] = piece
                for i in reversed(broader[1:]):
                    del texts[i]
            else:
                texts.append(piece)

    add(asset.attribution)
    provider_notice = _PROVIDER_NOTICE.get(asset.provider)
    if provider_notice:
        add(provider_notice)
    hints = _hints(asset)
    for markers, notice in _NOTICES:
        if any(_matches(hint, marker) for hint in hints for marker in markers):
            add(notice)
    if not texts:
        add(provider_title(asset.provider))
    return "; ".join(texts)


class Provenance(Model):
    """Where a delivered raster came from: what its layer's metadata says."""

    provider: str
    provider_title: str
    order_id: str
    asset_id: str
    item_id: str = ""
    title: str = ""
    product: Optional[str] = None
    acquired: Optional[datetime] = None
    attribution: str = ""
    source: str = ""  # the asset URL without query (no signature or token)
    media_type: str = ""
    details: Mapping[str, Any] = Field(default_factory=dict)  # provider provenance fields (STAC)

    @property
    def key(self) -> str:
        """Identifies one asset of one order across sessions (idempotent loading)."""
        return f"{self.provider}:{self.order_id}:{self.asset_id}"

    @property
    def identifier(self) -> str:
        return f"nadir:{self.key}"

    def source_label(self) -> str:
        return f"{self.provider_title} asset {self.asset_id}"

    def layer_name(self, file_name: str = "") -> str:
        """ "<product> <capture date> <title or file>", without repeats."""
        parts: list[str] = []
        for part in (
            self.product or "",
            self.acquired.date().isoformat() if self.acquired else "",
            self.title or file_name,
        ):
            if part and not any(part.lower() in p.lower() for p in parts):
                parts.append(part)
        if file_name and self.title and file_name.lower() not in " ".join(parts).lower():
            parts.append(file_name)
        return " ".join(parts) or self.asset_id

    def abstract(self) -> str:
        lines = [f"Delivered by {self.provider_title} for order {self.order_id}."]
        if self.acquired:
            lines.append(f"Captured or image date: {self.acquired.isoformat()}.")
        if self.product:
            lines.append(f"Product: {self.product}.")
        if self.item_id and self.item_id != self.asset_id:
            lines.append(f"STAC item {self.item_id}, asset {self.asset_id}.")
        else:
            lines.append(f"Asset {self.asset_id}.")
        if self.source:
            lines.append(f"Source: {self.source}")
        if self.attribution:
            lines.append(f"Attribution: {self.attribution}.")
        return "\n".join(lines)


_DETAIL_KEYS = ("links", "sourceId", "sensor", "imageFormat", "deliveredAt", "kind", "date")


def _without_credentials(value: Any) -> Any:
    """``value`` with the credentials of every URL in it removed (STAC links are often
    the signed links themselves): details end in layer metadata and projects."""
    if isinstance(value, str):
        return scrub_urls(value)
    if isinstance(value, Mapping):
        return {k: _without_credentials(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_credentials(v) for v in value]
    return value


def provenance_of(asset: Asset) -> Provenance:
    details: dict[str, Any] = {}
    for key, value in asset.extra.items():
        if key in _DETAIL_KEYS or "provenance" in key or "order" in key or ":" in key:
            if isinstance(value, (str, int, float, bool)) or value is None:
                details[key] = _without_credentials(value)
            elif isinstance(value, (list, tuple, Mapping)):
                details[key] = _without_credentials(value)
    return Provenance(
        provider=asset.provider,
        provider_title=provider_title(asset.provider),
        order_id=asset.order_id,
        asset_id=asset.id,
        item_id=item_of(asset) if asset.extra.get("item_id") else "",
        title=asset.title,
        product=asset.product,
        acquired=acquired_of(asset),
        attribution=attribution_for(asset),
        source=strip_query(asset.href),
        media_type=asset.media_type,
        details=details,
    )
