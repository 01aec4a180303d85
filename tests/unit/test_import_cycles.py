"""No import circles inside core/ and providers/ (issue 12 item 6: providers/clearsky's
adapter and assets imported each other). Every import counts, also one inside a function
or under ``TYPE_CHECKING``: a circle there still ties the two modules together."""

from __future__ import annotations

import ast
from pathlib import Path

from support.package import ROOT

PACKAGES = ("core", "providers")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(paths: list[Path]) -> dict[str, set[str]]:
    """Module -> plugin modules it imports (a package's ``__init__`` is left out as a target:
    importing a sibling through it is not a circle)."""
    known = {module_name(p) for p in paths}
    graph: dict[str, set[str]] = {}
    for path in paths:
        name = module_name(path)
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package[: len(package) - (node.level - 1)]
                stem = ".".join([*base, *(node.module.split(".") if node.module else [])])
                for alias in node.names:
                    candidate = f"{stem}.{alias.name}"
                    targets.add(candidate if candidate in known else stem)
        graph[name] = {t for t in targets if t in known and t != name and t not in PACKAGES}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def _sources() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def test_core_and_providers_have_no_import_circle():
    found = cycles(import_graph(_sources()))
    assert not found, "\n".join(" -> ".join(c) for c in found)


def test_the_rule_sees_a_circle_through_a_function_level_import():
    graph = {"providers.a": {"providers.b"}, "providers.b": {"providers.a"}, "providers.c": {"providers.a"}}
    assert cycles(graph) == [["providers.a", "providers.b", "providers.a"]]
    probe = ROOT / "providers" / "clearsky" / "_tmp_cycle_probe.py"
    probe.write_text("def f():\n    from .adapter import ClearSky\n", encoding="utf-8")
    try:
        graph = import_graph([*_sources(), probe])
        assert "providers.clearsky.adapter" in graph["providers.clearsky._tmp_cycle_probe"]
    finally:
        probe.unlink()
