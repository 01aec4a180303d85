"""Every feature declares the services it provides and needs, truthfully, and every needed
service is provided by a feature of ``ui/features.py`` (issue 12 item 5).

Read from the source (no QGIS here): a feature's code is its package (``ui/aoi/`` for
``.aoi.feature``) or its module (``ui/start_feature.py``). A key named in that code must
be declared: the ones it gives to ``provide()`` in ``provides``, the others in ``needs``;
a declared key the code never uses is stale."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from support.package import ROOT

UI = ROOT / "ui"
REGISTRY = ("services.py", "feature.py")  # where the keys are defined and typed


def key_names() -> set[str]:
    """The keys defined in ui/services.py (``NAME: ServiceKey[...] = ServiceKey(...)``)."""
    tree = ast.parse((UI / "services.py").read_text(encoding="utf-8"))
    return {
        node.target.id
        for node in tree.body
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and isinstance(node.annotation, ast.Subscript)
        and isinstance(node.annotation.value, ast.Name)
        and node.annotation.value.id == "ServiceKey"
    }


def feature_list() -> list[tuple[str, str]]:
    """(module, class) of ui/features.py's FEATURES."""
    tree = ast.parse((UI / "features.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "FEATURES" for t in node.targets):
            return [(module, name) for module, name, _eager in ast.literal_eval(node.value)]
    raise AssertionError("no FEATURES in ui/features.py")


def feature_files(module: str) -> list[Path]:
    parts = module.lstrip(".").split(".")
    if parts[-1] == "feature" and len(parts) > 1:
        return sorted((UI.joinpath(*parts[:-1])).rglob("*.py"))
    return [UI.joinpath(*parts).with_suffix(".py")]


@dataclass
class Feature:
    name: str
    provides: set[str] = field(default_factory=set)
    needs: set[str] = field(default_factory=set)
    provided_in_code: set[str] = field(default_factory=set)
    used_in_code: set[str] = field(default_factory=set)


def declarations(tree: ast.Module, name: str) -> tuple[set[str], set[str], set[int]]:
    """``provides``, ``needs`` of class ``name``, and the ids of their nodes (not uses)."""
    found: dict[str, set[str]] = {"provides": set(), "needs": set()}
    nodes: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            for item in node.body:
                if (
                    isinstance(item, ast.Assign)
                    and len(item.targets) == 1
                    and getattr(item.targets[0], "id", "") in found
                ):
                    assert isinstance(item.value, ast.Tuple), f"{name}.{item.targets[0].id} is not a tuple"
                    found[item.targets[0].id] = {e.id for e in item.value.elts if isinstance(e, ast.Name)}
                    nodes |= {id(n) for n in ast.walk(item)}
            missing = [
                k
                for k in found
                if not any(isinstance(i, ast.Assign) and getattr(i.targets[0], "id", "") == k for i in node.body)
            ]
            assert not missing, f"{name} declares no {', '.join(missing)}"
            return found["provides"], found["needs"], nodes
    raise AssertionError(f"class {name} not found")


def uses(tree: ast.AST, keys: set[str], skip: set[int]) -> tuple[set[str], set[str]]:
    """(keys given to ``provide()``, every key named) in a module."""
    provided, named = set(), set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Name) and node.id in keys:
            named.add(node.id)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "provide"
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in keys
        ):
            provided.add(node.args[0].id)
    return provided, named


def read_features() -> tuple[list[Feature], set[Path]]:
    keys = key_names()
    features, covered = [], set()
    for module, name in feature_list():
        feature = Feature(name)
        main = UI.joinpath(*module.lstrip(".").split(".")).with_suffix(".py")
        for path in feature_files(module):
            covered.add(path)
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip: set[int] = set()
            if path == main:
                feature.provides, feature.needs, skip = declarations(tree, name)
            provided, named = uses(tree, keys, skip)
            feature.provided_in_code |= provided
            feature.used_in_code |= named
        features.append(feature)
    return features, covered


def problems(features: list[Feature]) -> list[str]:
    found = []
    everything = set().union(*(f.provides for f in features))
    for f in features:
        if f.provided_in_code != f.provides:
            found.append(f"{f.name} provides {sorted(f.provided_in_code)} but declares provides={sorted(f.provides)}")
        undeclared = f.used_in_code - f.provides - f.needs
        if undeclared:
            found.append(f"{f.name} uses {sorted(undeclared)} without declaring them in needs")
        stale = f.needs - f.used_in_code
        if stale:
            found.append(f"{f.name} declares needs {sorted(stale)} it never uses")
        unprovided = f.needs - everything
        if unprovided:
            found.append(f"{f.name} needs {sorted(unprovided)}, which no feature of ui/features.py provides")
    return found


def test_keys_are_found():
    assert {"AOIS", "CART", "ORDERS_PANEL"} <= key_names() and len(feature_list()) >= 9


def test_every_feature_declares_what_it_provides_and_needs_and_every_need_is_provided():
    features, _ = read_features()
    assert not problems(features), "\n".join(problems(features))
    by_name = {f.name: f for f in features}
    assert by_name["AoiFeature"].provides == {"AOIS", "AOI_IMPORT"}
    assert {"ORDERS", "ORDERS_PANEL"} <= by_name["DeliveriesFeature"].needs


def test_no_service_is_used_outside_a_feature():
    _, covered = read_features()
    keys, outside = key_names(), []
    for path in sorted(UI.rglob("*.py")):
        if path in covered or path.relative_to(UI).as_posix() in REGISTRY:
            continue
        _, named = uses(ast.parse(path.read_text(encoding="utf-8")), keys, set())
        if named:
            outside.append(f"{path.relative_to(ROOT)} uses {sorted(named)}")
    assert not outside, "\n".join(outside)


def test_the_check_sees_a_renamed_key_an_undeclared_use_and_a_stale_need():
    aoi = Feature("AoiFeature", provides={"AOIS"}, provided_in_code={"AOIS"})
    grid = Feature("GridFeature", needs={"AOI_STORE"}, used_in_code={"AOI_STORE"})  # AOIS renamed on one side
    cart = Feature("CartFeature", needs={"AOIS", "GRID"}, used_in_code={"AOIS", "CONFIGURE"})
    sloppy = Feature("SearchFeature", provides={"SEARCH"}, provided_in_code=set())
    found = "\n".join(problems([aoi, grid, cart, sloppy]))
    assert "GridFeature needs ['AOI_STORE'], which no feature" in found
    assert "CartFeature uses ['CONFIGURE'] without declaring" in found
    assert "CartFeature declares needs ['GRID'] it never uses" in found
    assert "SearchFeature provides [] but declares provides=['SEARCH']" in found
    assert "AoiFeature" not in found
