"""The checks of a data product's parameters against its JSON schema, in analyst words.

The schema is read into form fields by :mod:`core.tasking.schema_read` (``$ref``,
``allOf``, ``anyOf``/``oneOf`` as UP42 uses them); this module re-exports that interface,
so callers import everything from here.

:func:`validate` uses ``fastjsonschema`` (compiled once per schema and cached; references
to other documents are refused, never fetched). It stops at the first error, so every
field is also checked on its own against its sub-schema, and the whole schema is then
checked for what no single field shows (unknown parameters, conditionals), taking out
each key found wrong and checking again: the analyst sees every wrong field at once, not
one per try. A schema that cannot be used raises :class:`SchemaError` (a project error),
nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Optional

import fastjsonschema

from .schema_read import (
    _COMBINERS,
    GEOJSON_TYPES,
    GEOMETRY_NAMES,
    Choice,
    Field,
    FieldKind,
    Path,
    Schema,
    SchemaError,
    _Reader,
    _required,
    _too_deep,
    _Unsupported,
    fields,
    walk,
)

__all__ = [
    "GEOJSON_TYPES",
    "GEOMETRY_NAMES",
    "Choice",
    "Field",
    "FieldError",
    "FieldKind",
    "Path",
    "Schema",
    "SchemaError",
    "check_schema",
    "fields",
    "validate",
    "walk",
]


@dataclass(frozen=True)
class FieldError:
    """A value the schema refuses: which field, and what is wrong, in analyst words."""

    path: Path
    message: str


# -- checking values ---------------------------------------------------------------------------


def _refuse_remote(uri: str) -> Any:
    raise SchemaError(
        f"The product's parameter schema refers to another document ({uri}); Nadir does not "
        "fetch schemas from elsewhere."
    )


_HANDLERS: dict[str, Callable[[str], Any]] = {scheme: _refuse_remote for scheme in ("http", "https", "ftp", "file")}


@lru_cache(maxsize=64)
def _compiled(text: str) -> Callable[[Any], Any]:
    try:
        compiled: Callable[[Any], Any] = fastjsonschema.compile(json.loads(text), handlers=_HANDLERS)
        return compiled
    except fastjsonschema.JsonSchemaDefinitionException as exc:
        raise SchemaError(
            f"The product's parameter schema is not a valid JSON Schema ({exc}), so values cannot be "
            "checked before sending.",
            details=str(exc),
        ) from None
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, RecursionError) as exc:
        raise SchemaError(
            "The product's parameter schema is not a valid JSON Schema, so values cannot be checked before sending.",
            details=f"{type(exc).__name__}: {exc}",
        ) from None


def _validator(schema: Schema) -> Callable[[Any], Any]:
    try:
        text = json.dumps(schema, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise SchemaError("The product's parameter schema holds values that are not JSON.", details=str(exc)) from None
    return _compiled(text)


def _standalone(sub: Any, root: Schema) -> dict[str, Any]:
    """A property's schema that compiles on its own (the root's definitions carried along)."""
    out: dict[str, Any] = dict(sub) if isinstance(sub, Mapping) else ({} if sub is not False else {"not": {}})
    for key in ("definitions", "$defs"):
        if key in root:
            out[key] = (
                {**root[key], **out[key]}
                if isinstance(out.get(key), Mapping) and isinstance(root[key], Mapping)
                else root[key]
            )
    if "$schema" in root and "$schema" not in out:
        out["$schema"] = root["$schema"]
    return out


_KINDS = {
    "integer": "a whole number",
    "number": "a number",
    "string": "a text",
    "boolean": "yes or no",
    "array": "a list",
    "object": "a group of values",
    "null": "empty",
}


def _fmt(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _reason(exc: fastjsonschema.JsonSchemaValueException, known: Optional[Field]) -> str:
    rule, definition = exc.rule, exc.rule_definition
    if rule == "minimum":
        return f"must be at least {_fmt(definition)}"
    if rule == "maximum":
        return f"must be at most {_fmt(definition)}"
    if (
        rule in ("exclusiveMinimum", "exclusiveMaximum") and definition is True and isinstance(exc.definition, Mapping)
    ):  # draft-04: a flag on minimum/maximum
        definition = exc.definition.get("minimum" if rule == "exclusiveMinimum" else "maximum")
    if rule == "exclusiveMinimum":
        return f"must be more than {_fmt(definition)}"
    if rule == "exclusiveMaximum":
        return f"must be less than {_fmt(definition)}"
    if rule == "multipleOf":
        return f"must be a multiple of {_fmt(definition)}"
    if rule == "type":
        wanted = definition if isinstance(definition, list) else [definition]
        return "must be " + " or ".join(_KINDS.get(str(w), str(w)) for w in wanted)
    if rule in ("enum", "const") or (rule in _COMBINERS and known is not None and known.kind == "enum"):
        if known is not None and known.choices:
            return "must be one of: " + ", ".join(c.title for c in known.choices)
        allowed = definition if isinstance(definition, list) else [definition]
        return "must be one of: " + ", ".join(_fmt(v) for v in allowed)
    if rule == "format":
        return {
            "date-time": "must be a date and time with a time zone (ISO 8601, e.g. 2025-06-01T00:00:00Z)",
            "date": "must be a date (ISO 8601, e.g. 2025-06-01)",
        }.get(str(definition), f"must be a valid {definition}")
    if rule == "minLength":
        return "must not be empty" if definition == 1 else f"must have at least {definition} characters"
    if rule == "maxLength":
        return f"must have at most {definition} characters"
    if rule == "pattern":
        return f"does not have the expected form ({definition})"
    if rule == "minItems":
        return "needs at least one choice" if definition == 1 else f"needs at least {definition} entries"
    if rule == "maxItems":
        return f"allows at most {definition} entries"
    if rule == "uniqueItems":
        return "must not list the same entry twice"
    if rule == "required":
        return "is required"
    if rule in _COMBINERS:
        return "does not match any of the allowed forms"
    return f"is not allowed here ({exc.message.removeprefix('data').strip()})"


class _Checker:
    def __init__(self, schema: Schema, tree: list[Field], skip: Collection[Path]) -> None:
        self.root = schema
        self.reader = _Reader(schema)
        self.known = {f.path: f for f in walk(tree)}
        self.skip = frozenset(tuple(p) for p in skip)
        self.errors: list[FieldError] = []

    def add(self, path: Path, reason: str) -> None:
        for depth in range(1, len(path)):  # inside a geometry: the geometry field is wrong as a whole
            outer = self.known.get(path[:depth])
            if outer is not None and outer.kind == "geometry":
                path = path[:depth]
                kinds = " or ".join(outer.geometry_types) or "geometry"
                reason = f"must be a GeoJSON {kinds} in longitude/latitude (WGS 84)"
                break
        if any(path[: len(s)] == s for s in self.skip) or any(e.path == path for e in self.errors):
            return
        known = self.known.get(path)
        title = known.title if known is not None else ".".join(path) or "Parameters"
        self.errors.append(FieldError(path, f"{title}: {reason}"))

    def first_error(self, schema: Schema, value: Any, path: Path, whole: bool = False) -> Optional[Path]:
        """Check ``value`` against ``schema``; the error found is added and its path returned."""
        try:
            _validator(schema if whole else _standalone(schema, self.root))(value)
        except fastjsonschema.JsonSchemaValueException as exc:
            where = tuple(str(p) for p in (exc.path or [])[1:])
            full = (*path, *where)
            if exc.rule == "required" and isinstance(exc.value, Mapping):
                missing = [str(r) for r in (exc.rule_definition or []) if r not in exc.value]
                for name in missing:
                    self.add((*full, name), "is required")
                return (*full, missing[0]) if missing else full
            if exc.rule == "additionalProperties" and isinstance(exc.value, Mapping):
                definition = exc.definition if isinstance(exc.definition, Mapping) else {}
                listed = definition.get("properties", {})
                extra = [str(k) for k in exc.value if not isinstance(listed, Mapping) or k not in listed]
                for name in extra:
                    self.add((*full, name), "is not a parameter of this product; remove it")
                return (*full, extra[0]) if extra else full
            self.add(full, _reason(exc, self.known.get(full)))
            return full
        return None

    def object(self, node: Any, value: Any, path: Path) -> None:
        try:
            flat, _ = self.reader.flatten(node, frozenset({"#"}), "/".join(path) or "the schema")
        except _Unsupported:
            flat = {}
        properties = flat.get("properties")
        if (
            not isinstance(value, Mapping)
            or not isinstance(properties, Mapping)
            or _COMBINERS[0] in flat
            or _COMBINERS[1] in flat
        ):
            self.first_error(node, value, path)
            return
        for name in sorted(_required(flat)):
            if name not in value:
                self.add((*path, name), "is required")
        for name, item in value.items():
            if name in properties:
                self.object(properties[name], item, (*path, str(name)))
        # what no single field shows (unknown keys, conditionals); "required" was said above, and
        # leaving it out here keeps a missing field (the geometry filled in later) from hiding the rest
        # fastjsonschema stops at the first error: a key found wrong is taken out and the rest
        # checked again, so a wrong field does not hide an unknown key or a broken conditional
        whole = {k: v for k, v in node.items() if k != "required"} if isinstance(node, Mapping) else node
        rest = dict(value)
        for _ in range(len(value) + 1):
            found = self.first_error(whole, rest, path)
            if found is None or len(found) <= len(path) or found[len(path)] not in rest:
                break
            del rest[found[len(path)]]


def validate(schema: Schema, values: Mapping[str, Any], *, skip: Collection[Path] = ()) -> list[FieldError]:
    """Every field of ``values`` that ``schema`` refuses, with the field's title and the reason.

    ``skip`` lists paths filled in later (the geometry the caller adds): they are not
    reported as missing. Raises :class:`SchemaError` if the schema is unusable.
    """
    tree = fields(schema)
    _validator(schema)  # an unusable schema is said once, up front
    checker = _Checker(schema, tree, skip)
    try:
        checker.object(schema, values, ())
    except RecursionError:
        raise _too_deep() from None
    order = {f.path: index for index, f in enumerate(walk(tree))}
    return sorted(
        checker.errors,
        key=lambda e: min(
            (order[e.path[:n]] for n in range(len(e.path), 0, -1) if e.path[:n] in order), default=len(order)
        ),
    )


def check_schema(schema: Schema) -> None:
    """Raise :class:`SchemaError` unless ``schema`` gives fields and compiles for validation."""
    fields(schema)
    _validator(schema)
