"""Provider-written OpenAPI specs, normalised so tools (Prism, openapi-core) can load them.

OneAtlas Living Library (``shared/contracts/oneatlas``): read as Latin-1, path keys trimmed,
given a leading ``/``, the key with a query string dropped, duplicates after trimming merged.
Then a few schema defects are repaired, each one because the spec contradicts itself and every
example Airbus gives (the repairs are listed in ``REPAIRS`` and checked by a test):

* R1 ``products`` in the orders/prices schema is ``type: object``, while the guide's
  examples, the spec's own examples and the order flow all send an array of products:
  it becomes an array of that object.
* R2 ``crsCode`` patterns ``326[01-60]`` are a one-character class (EPSG::3260..3266); the
  guide's table means UTM zones 01..60: ``326(0[1-9]|[1-5][0-9]|60)``.
* R3 CatalogItem ``constellation`` and ``platform`` have enums (``SPOT, PLEIADES,
  SENTINEL-2`` / ``PHR1A, SPOT6, SPOT7, SENTINEL2-A``) described as "Enumeration is not
  restrictive" while the spec's own example says ``PNEO``/``PNEO3``: such enums are dropped.

Nothing else is relaxed: validating against the result is as strict as the spec itself.
"""

from __future__ import annotations

import copy
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """``shared/`` with the provider documents: $NADIR_SHARED, beside the checkout, or /work/shared."""
    candidates = [os.environ.get("NADIR_SHARED"), REPO.parent / "shared", REPO.parent.parent / "shared", "/work/shared"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "contracts").is_dir():
            return Path(candidate)
    raise FileNotFoundError("shared/contracts not found: set NADIR_SHARED to the folder holding contracts/")


def oneatlas_spec_path() -> Path:
    return shared_dir() / "contracts" / "oneatlas" / "oneatlas-data-living-library-openapi.yml"


REPAIRS = ("R1 products array", "R2 crsCode UTM zones", "R3 enums described as not restrictive")


def normalise_paths(spec: dict[str, Any]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for raw, item in spec.get("paths", {}).items():
        key = raw.strip()
        if "?" in key:
            continue
        if not key.startswith("/"):
            key = "/" + key
        paths.setdefault(key, {}).update(item)
    spec["paths"] = paths
    return spec


def _repair(node: Any) -> None:
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            products = props.get("products")
            if isinstance(products, dict) and products.get("type") == "object" and "properties" in products:
                props["products"] = {"type": "array", "minItems": 1, "items": products}  # R1
            crs = props.get("crsCode")
            if isinstance(crs, dict):
                for choice in crs.get("oneOf", []):
                    pattern = choice.get("pattern", "")
                    if "[01-60]" in pattern:  # R2
                        choice["pattern"] = pattern.replace("[01-60]", "(0[1-9]|[1-5][0-9]|60)")
            for prop in props.values():  # R3
                if isinstance(prop, dict) and "not restrictive" in str(prop.get("description", "")):
                    prop.pop("enum", None)
        for value in node.values():
            _repair(value)
    elif isinstance(node, list):
        for value in node:
            _repair(value)


@lru_cache(maxsize=2)
def _load(path: str) -> dict[str, Any]:
    with open(path, encoding="latin-1") as handle:
        spec = yaml.safe_load(handle)
    spec = normalise_paths(spec)
    _repair(spec)
    return spec


def oneatlas_spec() -> dict[str, Any]:
    """The normalised Living Library spec (a fresh copy each call)."""
    return copy.deepcopy(_load(str(oneatlas_spec_path())))
