"""Hypothesis profiles and JSON mutation strategies for the property-based tests of the
parsers (issue 15): generated and mutated inputs, of which only Nadir's own errors may
escape.

Profiles (``NADIR_HYPOTHESIS_PROFILE``): ``ci`` (default: derandomized, so every run
draws the same examples; no deadline; no example database) and ``deep`` (ten times the
examples, random: for a search by hand).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "deep",
    max_examples=600,
    deadline=None,
    derandomize=False,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = os.environ.get("NADIR_HYPOTHESIS_PROFILE", "ci")


def examples(count: int) -> settings:
    """The profile, with ``count`` examples under ``ci`` (ten times that under ``deep``)."""
    base = settings.get_profile(PROFILE)
    return settings(base, max_examples=count * (10 if PROFILE == "deep" else 1))


#: Raw JSON texts put in place of a node (json.dumps cannot make some of them).
RAW_TOKENS = {
    "@nan": "NaN",
    "@inf": "Infinity",
    "@-inf": "-Infinity",
    "@e400": "1e400",
    "@int400": "1" + "0" * 400,
    "@deep": "[" * 5000 + "]" * 5000,
    "@deepobj": '{"a":' * 5000 + "1" + "}" * 5000,
    # deep, yet within what json.loads reads: the parsers' own recursion must cope
    "@deep700": "[" * 700 + "1" + "]" * 700,
    "@deepobj700": '{"a":' * 700 + "1" + "}" * 700,
}
HOSTILE_SCALARS: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    2**63,
    -(2**63),
    10**30,
    0.5,
    -0.0,
    1e308,
    -1e308,
    5e-324,
    "",
    " ",
    "a",
    "0",
    "12.5",
    "1e400",
    "NaN",
    "-",
    "\x00",
    "\ufeff",
    "\ud800",
    "é" * 3,
    "POLYGON((",
    "2024-13-45T99:99:99Z",
    "null",
    "[]",
    "{}",
    *RAW_TOKENS,
]

scalars = st.one_of(
    st.sampled_from(HOSTILE_SCALARS),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=10), inner, max_size=5)),
    max_leaves=20,
)


def dumps(value: Any) -> str:
    """JSON text of ``value``; strings naming a raw token become that token."""
    text = json.dumps(value, allow_nan=True)
    for token, raw in RAW_TOKENS.items():
        text = text.replace(json.dumps(token), raw)
    return text


def paths(value: Any, limit: int = 4000) -> list[tuple[Any, ...]]:
    """Paths of the nodes of a JSON value, breadth first, at most ``limit``."""
    found: list[tuple[Any, ...]] = []
    queue: list[tuple[tuple[Any, ...], Any]] = [((), value)]
    while queue and len(found) < limit:
        path, node = queue.pop(0)
        found.append(path)
        if isinstance(node, dict):
            queue += [((*path, k), v) for k, v in node.items()]
        elif isinstance(node, list):
            queue += [((*path, i), v) for i, v in enumerate(node)]
    return found


def _parent(root: Any, path: tuple[Any, ...]) -> Any:
    node = root
    for step in path[:-1]:
        node = node[step]
    return node


def _stringified(node: Any) -> Any:
    if isinstance(node, bool) or node is None:
        return str(node).lower()
    if isinstance(node, (int, float)):
        return repr(node)  # OneAtlas and others send numbers as strings
    if isinstance(node, str):
        try:
            return float(node)
        except ValueError:
            return len(node)
    return json.dumps(node)


OPERATIONS = ("replace", "replace", "replace", "delete", "stringify", "wrap", "empty", "duplicate")


@st.composite
def mutated(draw: st.DrawFn, value: Any) -> Any:
    """``value`` (parsed JSON) with one to three nodes changed: replaced by a hostile or
    generated value, deleted, turned into a string (or a string into a number), wrapped in
    a list, emptied or repeated."""
    root = json.loads(json.dumps(value))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(root)))
        operation = draw(st.sampled_from(OPERATIONS))
        node = _parent(root, path)[path[-1]] if path else root
        if operation == "replace":
            new = draw(st.one_of(st.sampled_from(HOSTILE_SCALARS), json_values))
        elif operation == "delete" and path:
            parent = _parent(root, path)
            del parent[path[-1]]
            continue
        elif operation == "stringify":
            new = _stringified(node)
        elif operation == "wrap":
            new = [node]
        elif operation == "empty":
            new = type(node)() if isinstance(node, (dict, list, str)) else None
        elif operation == "duplicate" and isinstance(node, list):
            new = node * 3
        else:
            new = None
        if path:
            _parent(root, path)[path[-1]] = new
        else:
            root = new
    return root


BODY_CUTS = ("truncate", "garbage", "deep", "empty", "html", "huge-number")


@st.composite
def damaged_text(draw: st.DrawFn, text: str) -> str:
    """``text`` cut short, with bytes changed, or replaced by a body no parser reads."""
    kind = draw(st.sampled_from(BODY_CUTS))
    if kind == "truncate":
        return text[: draw(st.integers(0, max(0, len(text) - 1)))]
    if kind == "garbage":
        at = draw(st.integers(0, max(0, len(text) - 1)))
        return text[:at] + draw(st.text(min_size=1, max_size=5)) + text[at + 1 :]
    return {
        "deep": "[" * 100_000 + "]" * 100_000,
        "empty": "",
        "html": "<html><body>502 Bad Gateway</body></html>",
        "huge-number": "9" * 5000,
    }[kind]


def walk(value: Any) -> Iterator[Any]:
    """Every node of a JSON value (iteratively)."""
    stack = [value]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):
            stack += list(node.values())
        elif isinstance(node, list):
            stack += node
