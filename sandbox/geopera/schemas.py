"""Request bodies checked against Geopera's own ``openapi.json`` (the ground truth for
request schemas: openapi.json v2.1.0), plus the sandbox's stricter schemas for the operations
the spec leaves untyped (marked below, each citing the document it follows).

Validation failures become FastAPI-style 422 entries ``{loc, msg, type}`` with pydantic v2
type names, as Geopera (a FastAPI service) answers them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from .errors import Invalid

SPEC_PATH = Path(__file__).resolve().parent.parent / "contract_data" / "geopera" / "openapi.json"

#: ``orders.archive.place`` is untyped in openapi.json ("Body": object or null). Fields from
#: Geopera's guide "Ordering archive imagery": ``captures`` (required, non-empty), ``projectId``,
#: ``licenseType``, ``splitByDate``. ``licenseType``: the guide shows only "standard", the
#: one value accepted. ``displayName`` and ``tags`` are accepted because ``orders.list``
#: filters by them (OrdersListInput). Anything else is refused so typos surface.
CAPTURE = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string", "minLength": 1}, "geometry": {"type": "object"}},
}
ARCHIVE_PLACE = {
    "type": "object",
    "required": ["captures"],
    "properties": {
        "projectId": {"type": "string", "minLength": 1},
        "captures": {"type": "array", "minItems": 1, "maxItems": 100, "items": CAPTURE},
        "licenseType": {"enum": ["standard"]},
        "splitByDate": {"type": ["boolean", "null"]},
        "displayName": {"type": "string", "maxLength": 200},
        "tags": {"type": "array", "items": {"type": "string", "minLength": 1}},
    },
    "additionalProperties": False,
}
#: ``catalog.search_stream`` is untyped; it takes catalog.search's input with ``host_name``
#: optional (the op is "multi-vendor": without a host every host is searched) and
#: ``limit`` as a cap on the whole stream (default 1000, at most 10000).
STREAM_LIMIT_DEFAULT, STREAM_LIMIT_MAX = 1000, 10_000

PYDANTIC_TYPES = {
    "string": "string_type",
    "integer": "int_type",
    "number": "float_type",
    "array": "list_type",
    "object": "dict_type",
    "boolean": "bool_type",
    "null": "none_required",
}


@cache
def spec() -> dict[str, Any]:
    return dict(json.loads(SPEC_PATH.read_text("utf-8")))


def operation(op: str) -> dict[str, Any] | None:
    path = spec()["paths"].get(f"/v1/op/{op}")
    return None if path is None else dict(path["post"])


def request_schema(op: str) -> dict[str, Any]:
    """The spec's request schema for ``op`` (refs resolvable against the spec's components)."""
    if op == "orders.archive.place":
        return ARCHIVE_PLACE
    if op == "catalog.search_stream":
        base = dict(spec()["components"]["schemas"]["CatalogSearchInput"])
        properties = dict(base["properties"])
        properties["limit"] = {"type": "integer", "minimum": 1, "maximum": STREAM_LIMIT_MAX}
        return {**base, "properties": properties, "required": []}
    declared = operation(op)
    body = (declared or {}).get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    return dict(body)


def _entry(error: jsonschema.ValidationError) -> dict[str, Any]:
    if error.validator in ("anyOf", "oneOf") and error.context:
        # nullable fields are anyOf [X, null]: report the non-null branch
        branches = [e for e in error.context if e.validator != "type" or e.validator_value != "null"]
        if branches:
            return _entry(branches[0])
    loc: list[Any] = ["body", *error.absolute_path]
    keyword = error.validator
    if keyword == "required":
        missing = str(error.message).split("'")[1]
        return {"loc": [*loc, missing], "msg": "Field required", "type": "missing"}
    if keyword == "type":
        wanted = error.validator_value if isinstance(error.validator_value, str) else error.validator_value[0]
        kind = PYDANTIC_TYPES.get(wanted, "type_error")
        return {"loc": loc, "msg": f"Input should be a valid {wanted}", "type": kind}
    if keyword == "maximum":
        return {
            "loc": loc,
            "msg": f"Input should be less than or equal to {error.validator_value:g}",
            "type": "less_than_equal",
        }
    if keyword == "minimum":
        return {
            "loc": loc,
            "msg": f"Input should be greater than or equal to {error.validator_value:g}",
            "type": "greater_than_equal",
        }
    if keyword == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return {
            "loc": [*loc, extra[0]] if extra else loc,
            "msg": "Extra inputs are not permitted",
            "type": "extra_forbidden",
        }
    kinds = {
        "pattern": "string_pattern_mismatch",
        "enum": "enum",
        "minItems": "too_short",
        "maxItems": "too_long",
        "minLength": "string_too_short",
        "maxLength": "string_too_long",
    }
    return {"loc": loc, "msg": str(error.message), "type": kinds.get(str(keyword), "value_error")}


def validate(op: str, body: Any) -> dict[str, Any]:
    """The body as a dict, or ``Invalid`` (422) listing every problem."""
    schema = request_schema(op)
    root = {**schema, "components": spec()["components"]}
    validator = jsonschema.Draft202012Validator(root)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise Invalid([_entry(e) for e in errors])
    return body if isinstance(body, dict) else {}


def parse(raw: bytes) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid([{"loc": ["body", 0], "msg": f"JSON decode error ({exc})", "type": "json_invalid"}]) from None
