"""Core reaches providers only through the protocols in core/ports.py: no second copy of
a port elsewhere in core (issue 12 item 3: GridSource, OrderSource, CellSource went), and
no adapter typed as a bare ``object``."""

from __future__ import annotations

import ast
from pathlib import Path

from support.package import ROOT


def _protocols(tree: ast.AST) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(
            (isinstance(b, ast.Name) and b.id == "Protocol") or (isinstance(b, ast.Attribute) and b.attr == "Protocol")
            for b in node.bases
        ):
            found[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef) and not n.decorator_list}
    return found


def duplicate_ports(paths: list[Path]) -> list[str]:
    port_methods = set().union(*_protocols(ast.parse((ROOT / "core" / "ports.py").read_text("utf-8"))).values())
    offenders = []
    for path in paths:
        if path.name == "ports.py" and path.parent == ROOT / "core":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, methods in _protocols(tree).items():
            if methods & port_methods:
                offenders.append(f"{path.relative_to(ROOT)}: {name} repeats {sorted(methods & port_methods)}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.arg)
                and "adapter" in node.arg
                and isinstance(node.annotation, ast.Name)
                and node.annotation.id == "object"
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.arg}: object")
    return offenders


def test_core_has_no_second_copy_of_a_port():
    offenders = duplicate_ports(sorted((ROOT / "core").rglob("*.py")))
    assert not offenders, "\n".join(offenders)


def test_the_rule_detects_a_copied_port_and_an_untyped_adapter(tmp_path):
    probe = ROOT / "core" / "grid" / "_tmp_port_probe.py"
    probe.write_text(
        "from typing import Protocol\n\nclass GridSource(Protocol):\n"
        "    def tiles(self, geometry): ...\n\ndef place(adapter: object) -> None: ...\n",
        encoding="utf-8",
    )
    try:
        assert duplicate_ports([probe]) == [
            "core/grid/_tmp_port_probe.py: GridSource repeats ['tiles']",
            "core/grid/_tmp_port_probe.py:6 adapter: object",
        ]
    finally:
        probe.unlink()
