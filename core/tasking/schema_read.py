"""A data product's JSON schema read as a tree of form fields.

UP42 describes the ``params`` of an order with a JSON Schema (draft-07) per data product
(``GET /orders/schema/{dataProductId}``; the real example is the UP42 SDK's fixture
``sandbox/contract_data/up42/sdk-fixtures/data_product_schema_phr_tasking.json``). Nothing here knows
one product: :func:`fields` reads any schema, :func:`validate` checks values against it.

How the constructs UP42 uses are read (all seen in the PHR fixture):

* ``$ref`` to ``#/definitions/...``, ``#/$defs/...`` or any local JSON pointer, in chains;
  keywords beside a ``$ref`` (a property's ``title``) win over the target's. A ``$ref``
  that comes back to a schema being expanded (a recursive structure) becomes an
  ``unsupported`` field, never an endless loop. Remote references are not followed.
* ``allOf``: the members are merged into the field (properties merged, ``required``
  joined, the tightest bounds kept); the field's own keywords win. Members that are only
  conditionals (``if``/``then``/``else``) shape no field: validation applies them.
* ``anyOf``/``oneOf``: branches that are all ``const`` (or ``enum``) are an enum whose
  branch ``title`` names each value (``{"const": "mono", "title": "MONO"}``); a
  ``{"type": "null"}`` branch (or ``type: [X, "null"]``) makes the field nullable; GeoJSON
  alternatives (Polygon or MultiPolygon) are a geometry; other alternative shapes are
  ``unsupported`` (the form offers them as JSON).
* ``default: null`` (the fixture's ``acquisitionMode``) means "no default".
* The fixture's top-level ``allOf`` of ``if``/``then``/``else`` puts ``definitions`` in
  ``then``/``else`` (wider projection choices unless ``primary``, B/H defaults per mode).
  ``definitions`` there validate nothing in draft-07 (whatever UP42's form makes of them),
  so the form offers what the properties allow (projection 4326 only), which is also all
  the sandbox accepts.

A schema that cannot be read raises :class:`SchemaError` (a project error), nothing else.
The checks of values are in :mod:`core.tasking.schema`, which also exports what is here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Optional
from urllib.parse import unquote

from ..errors import InvalidResponse

FieldKind = Literal[
    "enum",
    "integer",
    "number",
    "string",
    "datetime",
    "date",
    "boolean",
    "object",
    "array",
    "geometry",
    "unsupported",
]
Path = tuple[str, ...]
Schema = Mapping[str, Any]

GEOJSON_TYPES = frozenset(
    {
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
        "Feature",
        "FeatureCollection",
    }
)
#: property names that hold the order's geometry when the schema says no more than "object"
GEOMETRY_NAMES = frozenset({"geometry", "aoi", "intersects"})
_COMBINERS = ("anyOf", "oneOf")
_CONDITIONAL_ONLY = frozenset({"if", "then", "else", "definitions", "$defs", "$comment", "title", "description"})


class SchemaError(InvalidResponse):
    """The product's parameter schema cannot be read or used."""

    def __init__(self, message: str, *, details: str = "") -> None:
        super().__init__(message, endpoint="orders.schema", details=details)


@dataclass(frozen=True)
class Choice:
    """One allowed value of an enum field and the title to show for it."""

    value: Any
    title: str


@dataclass(frozen=True)
class Field:
    """One parameter of the order as a form shows it.

    ``path`` is the keys from the top of ``params`` (``("cloudCoverage",)``); an array's
    ``items`` field ends in ``"*"``. Bounds are as the schema states them: ``minimum`` and
    ``maximum`` inclusive, ``exclusive_*`` exclusive. ``reason`` says why a field is
    ``unsupported``; ``schema`` is the field's schema with references and ``allOf``
    resolved (for a JSON editor's hint).
    """

    path: Path
    kind: FieldKind
    title: str
    description: str = ""
    required: bool = False
    default: Any = None
    has_default: bool = False
    nullable: bool = False
    choices: tuple[Choice, ...] = ()
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    exclusive_minimum: Optional[float] = None
    exclusive_maximum: Optional[float] = None
    multiple_of: Optional[float] = None
    min_length: Optional[int] = None
    max_length: Optional[int] = None
    pattern: Optional[str] = None
    min_items: Optional[int] = None
    max_items: Optional[int] = None
    unique_items: bool = False
    geometry_types: tuple[str, ...] = ()
    children: tuple[Field, ...] = ()
    items: Optional[Field] = None
    reason: str = ""
    schema: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else ""

    @property
    def lowest(self) -> Optional[float]:
        """The smallest allowed value (an exclusive integer bound moved inside)."""
        if self.exclusive_minimum is not None:
            step = 1.0 if self.kind == "integer" else 0.0
            bound = self.exclusive_minimum + step
            return bound if self.minimum is None else max(bound, self.minimum)
        return self.minimum

    @property
    def highest(self) -> Optional[float]:
        if self.exclusive_maximum is not None:
            step = 1.0 if self.kind == "integer" else 0.0
            bound = self.exclusive_maximum - step
            return bound if self.maximum is None else min(bound, self.maximum)
        return self.maximum

    def choice_title(self, value: Any) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.title
        return str(value)


class _Unsupported(Exception):
    """Internal: this part of the schema cannot be a form field; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# -- reading the schema ------------------------------------------------------------------------


def _pointer(root: Schema, ref: str) -> Any:
    """The node a local reference (``#``, ``#/definitions/X``) points at."""
    if not ref.startswith("#"):
        raise _Unsupported(f"it refers to another document ({ref}), which Nadir does not fetch")
    node: Any = root
    fragment = unquote(ref[1:])
    if fragment in ("", "/"):
        return root
    if not fragment.startswith("/"):
        raise _Unsupported(f"its reference {ref} is not a JSON pointer")
    for raw in fragment[1:].split("/"):
        key = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            raise _Unsupported(f"its reference {ref} points at nothing in the schema")
    return node


def _mapping(node: Any, where: str) -> Schema:
    if isinstance(node, bool):  # draft-06+: true accepts anything, false nothing
        return {} if node else {"not": {}}
    if not isinstance(node, Mapping):
        raise _Unsupported(f"{where} is not a schema object")
    return node


def _merge(base: Schema, extra: Schema) -> dict[str, Any]:
    """``extra``'s keywords over ``base``'s; properties merged, required joined, bounds tightened."""
    out = dict(base)
    for key, value in extra.items():
        if key == "properties" and isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            properties = dict(out[key])
            for name, sub in value.items():
                properties[name] = {"allOf": [properties[name], sub]} if name in properties else sub
            out[key] = properties
        elif key == "required" and isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = list(dict.fromkeys([*out[key], *value]))
        elif (
            key in ("minimum", "exclusiveMinimum", "minLength", "minItems") and _number(out.get(key)) and _number(value)
        ):
            out[key] = max(out[key], value)
        elif (
            key in ("maximum", "exclusiveMaximum", "maxLength", "maxItems") and _number(out.get(key)) and _number(value)
        ):
            out[key] = min(out[key], value)
        else:
            out[key] = value
    return out


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Reader:
    def __init__(self, root: Schema) -> None:
        self.root = root

    def flatten(self, node: Any, seen: frozenset[str], where: str) -> tuple[dict[str, Any], frozenset[str]]:
        """``node`` with its ``$ref`` chain followed and its ``allOf`` merged."""
        current = dict(_mapping(node, where))
        hops = 0
        while "$ref" in current:
            ref = current.pop("$ref")
            if not isinstance(ref, str):
                raise _Unsupported(f"{where} has a $ref that is not a text")
            if ref in seen:
                raise _Unsupported(f"it refers back to itself ({ref}): a recursive structure")
            seen = seen | {ref}
            hops += 1
            target = dict(_mapping(_pointer(self.root, ref), ref))
            current = _merge(target, current)  # a title beside the $ref wins
        members = current.pop("allOf", None)
        if members is not None:
            if not isinstance(members, list):
                raise _Unsupported(f"{where} has an allOf that is not a list")
            merged: dict[str, Any] = {}
            for index, member in enumerate(members):
                if isinstance(member, Mapping) and member and set(member) <= _CONDITIONAL_ONLY and "if" in member:
                    continue  # a conditional: checked by validation, shapes no field
                flat, seen_member = self.flatten(member, seen, f"{where}/allOf/{index}")
                merged = _merge(merged, flat)
                seen = seen | seen_member
            current = _merge(merged, current)
        return current, seen

    def field(self, node: Any, path: Path, required: bool, seen: frozenset[str]) -> Field:
        name = path[-1] if path else ""
        where = "/".join(path) or "the schema"
        try:
            flat, seen = self.flatten(node, seen, where)
            return self._classify(flat, path, name, required, seen)
        except _Unsupported as unsupported:
            title = node.get("title") if isinstance(node, Mapping) else None
            return Field(
                path,
                "unsupported",
                _title(title, name),
                _text(node, "description"),
                required,
                reason=unsupported.reason,
                schema=node if isinstance(node, Mapping) else {},
            )

    def _classify(self, flat: dict[str, Any], path: Path, name: str, required: bool, seen: frozenset[str]) -> Field:
        nullable = False
        for combiner in _COMBINERS:
            if combiner in flat:
                flat, nullable_here = self._combine(flat, combiner, path, seen)
                nullable = nullable or nullable_here
        kind_of = flat.get("type")
        if isinstance(kind_of, list):
            names = [t for t in kind_of if t != "null"]
            nullable = nullable or len(names) < len(kind_of)
            if len(names) != 1:
                raise _Unsupported(f"it may be any of the types {', '.join(map(str, names))}")
            kind_of = names[0]
        base = _common(flat, path, name, required, nullable)
        if _geometry_types(flat) or (
            name in GEOMETRY_NAMES and kind_of in ("object", None) and not flat.get("properties")
        ):
            return Field(**base, kind="geometry", geometry_types=tuple(sorted(_geometry_types(flat))))
        if "enum" in flat or "const" in flat:
            return self._enum(flat, base)
        if kind_of is None and isinstance(flat.get("properties"), Mapping):
            kind_of = "object"
        if kind_of == "string":
            form = flat.get("format")
            kind: FieldKind = "datetime" if form == "date-time" else "date" if form == "date" else "string"
            return Field(
                **base,
                kind=kind,
                min_length=_int(flat, "minLength"),
                max_length=_int(flat, "maxLength"),
                pattern=flat.get("pattern") if isinstance(flat.get("pattern"), str) else None,
            )
        if kind_of == "integer" or kind_of == "number":
            bounds = _bounds(flat)
            return Field(
                **base,
                kind="integer" if kind_of == "integer" else "number",
                minimum=bounds[0],
                maximum=bounds[1],
                exclusive_minimum=bounds[2],
                exclusive_maximum=bounds[3],
                multiple_of=bounds[4],
            )
        if kind_of == "boolean":
            return Field(**base, kind="boolean")
        if kind_of == "object":
            return self._object(flat, base, path, seen)
        if kind_of == "array":
            items = flat.get("items")
            if not isinstance(items, (Mapping, bool)):
                raise _Unsupported(
                    "its items are given as a list of positions (a tuple)"
                    if items is not None
                    else "the type of its items is not given"
                )
            return Field(
                **base,
                kind="array",
                items=self.field(items, (*path, "*"), False, seen),
                min_items=_int(flat, "minItems"),
                max_items=_int(flat, "maxItems"),
                unique_items=flat.get("uniqueItems") is True,
            )
        if kind_of is None:
            raise _Unsupported("its type is not given")
        raise _Unsupported(f"its type '{kind_of}' is not one a form can edit")

    def _combine(
        self, flat: dict[str, Any], combiner: str, path: Path, seen: frozenset[str]
    ) -> tuple[dict[str, Any], bool]:
        branches_raw = flat.pop(combiner)
        if not isinstance(branches_raw, list) or not branches_raw:
            raise _Unsupported(f"its {combiner} is not a list of schemas")
        branches = []
        nullable = False
        for index, branch in enumerate(branches_raw):
            resolved, _ = self.flatten(branch, seen, f"{'/'.join(path)}/{combiner}/{index}")
            if resolved.get("type") == "null" or ("const" in resolved and resolved["const"] is None):
                nullable = True
            else:
                branches.append(resolved)
        if not branches:
            raise _Unsupported("it can only be null")
        if all("const" in b or isinstance(b.get("enum"), list) for b in branches):
            choices: list[dict[str, Any]] = []
            for branch in branches:
                values = [branch["const"]] if "const" in branch else list(branch["enum"])
                choices += [{"value": v, "title": branch.get("title") if len(values) == 1 else None} for v in values]
            out = {k: v for k, v in flat.items() if k not in ("enum", "const")}
            out["enum"] = [c["value"] for c in choices]
            out["x-titles"] = [c["title"] for c in choices]
            return out, nullable
        if len(branches) == 1:
            return _merge(flat, branches[0]), nullable
        if all(_geometry_types(b) for b in branches):
            kinds = sorted({t for b in branches for t in _geometry_types(b)})
            out = dict(flat)
            out["x-geometry-types"] = kinds
            return out, nullable
        raise _Unsupported(f"it takes one of {len(branches)} different shapes")

    def _enum(self, flat: dict[str, Any], base: dict[str, Any]) -> Field:
        values = list(flat["enum"]) if "enum" in flat else [flat["const"]]
        if "enum" in flat and not isinstance(flat["enum"], list):
            raise _Unsupported("its enum is not a list")
        titles = flat.get("x-titles") or flat.get("enumNames") or flat.get("x-enumNames") or []
        choices = []
        nullable = base["nullable"]
        for index, value in enumerate(values):
            if value is None:
                nullable = True
                continue
            title = titles[index] if isinstance(titles, list) and index < len(titles) else None
            choices.append(Choice(value, title if isinstance(title, str) and title else str(value)))
        if not choices:
            raise _Unsupported("it allows no value but null")
        return Field(**{**base, "nullable": nullable}, kind="enum", choices=tuple(choices))

    def _object(self, flat: dict[str, Any], base: dict[str, Any], path: Path, seen: frozenset[str]) -> Field:
        properties = flat.get("properties")
        if not isinstance(properties, Mapping) or not properties:
            raise _Unsupported("it is an object whose keys the schema does not list")
        required = _required(flat)
        children = tuple(self.field(sub, (*path, str(key)), key in required, seen) for key, sub in properties.items())
        return Field(**base, kind="object", children=children)


def _text(node: Any, key: str) -> str:
    value = node.get(key) if isinstance(node, Mapping) else None
    return value.strip() if isinstance(value, str) else ""


def _title(title: Any, name: str) -> str:
    if isinstance(title, str) and title.strip():
        return title.strip()
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[_\-]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else name


def _int(flat: Mapping[str, Any], key: str) -> Optional[int]:
    value = flat.get(key)
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _float(flat: Mapping[str, Any], key: str) -> Optional[float]:
    value = flat.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _bounds(flat: Mapping[str, Any]) -> tuple[Optional[float], ...]:
    """minimum, maximum, exclusive minimum, exclusive maximum, multiple of."""
    minimum, maximum = _float(flat, "minimum"), _float(flat, "maximum")
    low, high = _float(flat, "exclusiveMinimum"), _float(flat, "exclusiveMaximum")
    if flat.get("exclusiveMinimum") is True:  # draft-04: a flag on minimum
        minimum, low = None, minimum
    if flat.get("exclusiveMaximum") is True:
        maximum, high = None, maximum
    return minimum, maximum, low, high, _float(flat, "multipleOf")


def _required(flat: Mapping[str, Any]) -> frozenset[str]:
    required = flat.get("required", [])
    return frozenset(r for r in required if isinstance(r, str)) if isinstance(required, list) else frozenset()


def _common(flat: dict[str, Any], path: Path, name: str, required: bool, nullable: bool) -> dict[str, Any]:
    has_default = "default" in flat and flat["default"] is not None
    return {
        "path": path,
        "title": _title(flat.get("title"), name),
        "description": _text(flat, "description"),
        "required": required,
        "default": flat.get("default") if has_default else None,
        "has_default": has_default,
        "nullable": nullable,
        "schema": flat,
    }


def _geometry_types(flat: Mapping[str, Any]) -> frozenset[str]:
    """The GeoJSON types a schema describes (empty: not GeoJSON)."""
    marked = flat.get("x-geometry-types")
    if isinstance(marked, list):
        return frozenset(str(t) for t in marked)
    properties = flat.get("properties")
    if not isinstance(properties, Mapping) or not (
        {"coordinates", "geometries", "features", "geometry"} & set(properties)
    ):
        return frozenset()
    kind = properties.get("type")
    if not isinstance(kind, Mapping):
        return frozenset()
    values = [kind["const"]] if "const" in kind else kind.get("enum", [])
    found = frozenset(v for v in values if isinstance(v, str)) if isinstance(values, list) else frozenset()
    return found if found and found <= GEOJSON_TYPES else frozenset()


def _root(schema: Any) -> dict[str, Any]:
    if not isinstance(schema, Mapping):
        raise SchemaError(
            "The product's parameter schema is not a JSON object, so no order form can be built "
            "from it. Try again later or choose another product.",
            details=f"got {type(schema).__name__}",
        )
    reader = _Reader(schema)
    try:
        flat, _ = reader.flatten(schema, frozenset({"#"}), "the schema")
    except _Unsupported as unsupported:
        raise SchemaError(f"The product's parameter schema cannot be read: {unsupported.reason}.") from None
    properties = flat.get("properties")
    if flat.get("type") not in (None, "object") or not isinstance(properties, Mapping):
        raise SchemaError(
            "The product's parameter schema does not describe an object with named parameters, so "
            "no order form can be built from it.",
            details=repr(schema)[:500],
        )
    return flat


def fields(schema: Schema) -> list[Field]:
    """The top-level parameters of ``schema`` as fields (nested objects hold ``children``)."""
    try:
        flat = _root(schema)
        reader = _Reader(schema)
        required = _required(flat)
        return [
            reader.field(sub, (str(key),), key in required, frozenset({"#"})) for key, sub in flat["properties"].items()
        ]
    except RecursionError:
        raise _too_deep() from None


def _too_deep() -> SchemaError:
    return SchemaError(
        "The product's parameter schema is nested too deeply to be read. Choose another product "
        "or contact the provider."
    )


def walk(tree: Iterable[Field]) -> Iterator[Field]:
    """Every field of ``tree``, parents before their children (array items included)."""
    for item in tree:
        yield item
        yield from walk(item.children)
        if item.items is not None:
            yield from walk((item.items,))


def geometry_paths(schema: Schema) -> list[Path]:
    """Where the order's geometry goes in ``schema`` (the caller fills it from an AOI)."""
    return [f.path for f in walk(fields(schema)) if f.kind == "geometry"]
