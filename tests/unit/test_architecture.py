"""Architecture rules from DESIGN.md 3 and STYLE.md 1, enforced on the source tree."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from support.package import ROOT

QT_FREE = ("core", "providers")
FORBIDDEN_ROOTS = {"qgis", "PyQt5", "PyQt6", "sip", "PyQt"}
PLUGIN_SOURCES = [
    p
    for p in ROOT.rglob("*.py")
    if not any(
        part in {"tests", "sandbox", "bench", "scripts", ".venv", ".cache", ".run", "node_modules"}
        or part.startswith(".venv")
        for part in p.relative_to(ROOT).parts
    )
]


def imported_modules(path: Path) -> list[tuple[int, str, int]]:
    """(line, module, relative level) for every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, node.module or "", node.level))
    return found


def resolve(path: Path, module: str, level: int) -> str:
    """Absolute dotted name (relative to the plugin root) of an import."""
    if level == 0:
        return module
    package = list(path.relative_to(ROOT).parent.parts)
    base = package[: len(package) - (level - 1)] if level > 1 else package
    return ".".join([*base, module] if module else base)


def test_plugin_sources_found():
    names = {p.relative_to(ROOT).as_posix() for p in PLUGIN_SOURCES}
    assert {"__init__.py", "plugin.py", "core/errors.py"} <= names


@pytest.mark.parametrize("package", QT_FREE)
def test_core_and_providers_never_import_qt_or_qgis(package):
    offenders = []
    for path in (ROOT / package).rglob("*.py"):
        for line, module, level in imported_modules(path):
            if level == 0 and module.split(".")[0] in FORBIDDEN_ROOTS:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
            target = resolve(path, module, level) if level else ""
            if target.split(".")[0] in {"toolbelt", "ui", "tasks", "processing", "plugin"}:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {target} (Qt side)")
    assert not offenders, "\n".join(offenders)


def test_the_rule_detects_a_violation(tmp_path):
    """The checker itself must be able to fail."""
    bad = ROOT / "core" / "_tmp_violation_probe.py"
    bad.write_text("from qgis.core import QgsGeometry\nimport sip\n", encoding="utf-8")
    try:
        modules = [m for _, m, _ in imported_modules(bad)]
        assert "qgis.core" in modules and "sip" in modules
    finally:
        bad.unlink()


def test_nothing_outside_ui_imports_ui():
    offenders = []
    for path in PLUGIN_SOURCES:
        rel = path.relative_to(ROOT)
        if rel.parts[0] == "ui" or rel.as_posix() == "plugin.py":
            continue
        for line, module, level in imported_modules(path):
            target = resolve(path, module, level) if level else module
            if target == "ui" or target.startswith("ui."):
                offenders.append(f"{rel}:{line} imports {target}")
    assert not offenders, "\n".join(offenders)


def test_only_toolbelt_touches_settings_auth_and_network_config():
    watched = {"QgsSettings", "QgsAuthManager", "QgsNetworkAccessManager", "authManager"}
    offenders = []
    for path in PLUGIN_SOURCES:
        rel = path.relative_to(ROOT)
        if rel.parts[0] == "toolbelt":
            continue
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        for node in ast.walk(tree):
            name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
            if name in watched:
                offenders.append(f"{rel}:{node.lineno} uses {name}")
    assert not offenders, "\n".join(offenders)


def test_init_holds_only_class_factory():
    tree = ast.parse((ROOT / "__init__.py").read_text(encoding="utf-8"))
    top_level = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    assert [type(n).__name__ for n in top_level] == ["FunctionDef"]
    assert top_level[0].name == "classFactory"


def test_no_print_in_plugin_code():
    offenders = []
    for path in PLUGIN_SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders


def test_no_compiled_qrc_and_only_qgis_pyqt_imports():
    assert not list(ROOT.glob("**/resources_rc.py"))
    offenders = []
    for path in PLUGIN_SOURCES:
        for line, module, level in imported_modules(path):
            if level == 0 and module.split(".")[0] in {"PyQt5", "PyQt6", "PySide2", "PySide6"}:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {module} (use qgis.PyQt)")
    assert not offenders, offenders


#: what may live at core/'s top level: the shared kernel every feature uses. A feature's
#: modules live in its package (core/aoi/, core/grid/, core/ordering/, core/orders/, ...).
CORE_KERNEL = {
    "__init__",
    "models",
    "errors",
    "geodesy",
    "retry",
    "i18n",
    "redaction",
    "credentials",
    "provider_info",
    "ports",
    "collector",
}


def core_imports_of_providers(files: list[Path]) -> list[str]:
    offenders = []
    for path in files:
        for line, module, level in imported_modules(path):
            target = resolve(path, module, level) if level else module
            if target.split(".")[0] == "providers" or target.startswith("nadir.providers"):
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    return offenders


def test_core_never_imports_providers():
    """Core owns the ports (core/ports.py); adapters plug into them, never the other way round."""
    offenders = core_imports_of_providers(list((ROOT / "core").rglob("*.py")))
    assert not offenders, "\n".join(offenders)


def test_the_core_rule_detects_an_import_of_providers():
    probe = ROOT / "core" / "grid" / "_tmp_provider_probe.py"
    probe.write_text("from ...providers.registry import adapter_class\n", encoding="utf-8")
    try:
        assert core_imports_of_providers([probe]) == ["core/grid/_tmp_provider_probe.py:1 imports providers.registry"]
    finally:
        probe.unlink()


def test_core_top_level_holds_only_the_kernel():
    top = {p.stem for p in (ROOT / "core").glob("*.py")}
    assert top - CORE_KERNEL == set(), f"feature modules at core/ top level: {sorted(top - CORE_KERNEL)}"
    packages = {p.parent.name for p in (ROOT / "core").glob("*/__init__.py")}
    assert {"aoi", "grid", "ordering", "orders", "deliveries"} <= packages


#: what may live at toolbelt/'s and processing/'s top level: what every feature shares. A
#: module that serves one feature goes into that feature's package (toolbelt/aoi/,
#: processing/grid/, ...), named like the feature's package in core/ or ui/. A new shared
#: module is added here on purpose, never by default.
SHARED_TOP_LEVEL = {
    "toolbelt": {
        "__init__",
        "auth",
        "compat",
        "connections",
        "core_text",
        "dependencies",
        "features",
        "geometry",
        "help",
        "http",
        "i18n",
        "identity",
        "layer_tree",
        "log",
        "native",
        "notify",
        "paths",
        "private_first",
        "proxy",
        "redact",
        "settings",
        "standin",
        "styles",
    },
    "processing": {"__init__", "provider", "algorithms"},
}
FEATURE_PACKAGES = {
    "toolbelt": {"aoi", "search", "orders", "deliveries"},
    "processing": {"aoi", "grid", "ordering", "orders", "deliveries", "search", "tasking"},
}


def packages_of(folder: Path) -> set[str]:
    return {p.parent.name for p in folder.glob("*/__init__.py")}


def layout_offences(folder: Path, shared: set[str], features: set[str]) -> list[str]:
    """Feature modules left at the top level of ``folder``, and packages named after no feature."""
    stray = sorted({p.stem for p in folder.glob("*.py")} - shared)
    unknown = sorted(packages_of(folder) - features)
    return [f"{folder.name}/{name}.py is not shared: move it into its feature's package" for name in stray] + [
        f"{folder.name}/{name}/ is named after no feature of core/ or ui/" for name in unknown
    ]


@pytest.mark.parametrize("package", sorted(SHARED_TOP_LEVEL))
def test_toolbelt_and_processing_top_levels_hold_only_shared_modules(package):
    """Issue 12 item 1: toolbelt/ and processing/ mirror the feature packages of core/ and ui/."""
    features = packages_of(ROOT / "core") | packages_of(ROOT / "ui")
    offences = layout_offences(ROOT / package, SHARED_TOP_LEVEL[package], features)
    assert not offences, "\n".join(offences)
    assert FEATURE_PACKAGES[package] <= packages_of(ROOT / package)


def test_the_layout_rule_detects_a_feature_module_and_a_stray_package(tmp_path):
    folder = tmp_path / "toolbelt"
    (folder / "aoi").mkdir(parents=True)
    (folder / "aoi" / "__init__.py").write_text("", encoding="utf-8")
    (folder / "settings.py").write_text("", encoding="utf-8")
    assert layout_offences(folder, {"settings"}, {"aoi"}) == []
    (folder / "order_layer.py").write_text("", encoding="utf-8")
    (folder / "misc").mkdir()
    (folder / "misc" / "__init__.py").write_text("", encoding="utf-8")
    assert layout_offences(folder, {"settings"}, {"aoi"}) == [
        "toolbelt/order_layer.py is not shared: move it into its feature's package",
        "toolbelt/misc/ is named after no feature of core/ or ui/",
    ]


def import_graph(files: list[Path]) -> dict[str, set[str]]:
    """Module -> the plugin modules it imports (``TYPE_CHECKING`` imports included)."""
    names = {".".join(p.relative_to(ROOT).with_suffix("").parts): p for p in files}
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        targets = set()
        for _, module, level in imported_modules(path):
            target = resolve(path, module, level) if level else module.removeprefix("nadir.")
            if target in names and target != name:
                targets.add(target)
        graph[name] = targets
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every circle of imports, each as the list of its modules, smallest first."""
    found: set[tuple[str, ...]] = set()

    def visit(node: str, path: list[str]) -> None:
        for target in graph.get(node, ()):
            if target == path[0]:
                found.add(tuple(path))
            elif target not in path and target > path[0]:  # each circle once, from its smallest module
                visit(target, [*path, target])

    for start in graph:
        visit(start, [start])
    return sorted((list(c) for c in found), key=len)


def test_the_grid_ui_has_no_import_circle():
    """Issue 12 item 6: ui/grid/cover.py and ui/grid/presenter.py imported each other."""
    files = [p for p in PLUGIN_SOURCES if p.relative_to(ROOT).parts[:2] == ("ui", "grid")]
    assert not import_cycles(import_graph(files))


def test_the_circle_rule_detects_a_circle(tmp_path):
    graph = {"ui.grid.a": {"ui.grid.b"}, "ui.grid.b": {"ui.grid.c"}, "ui.grid.c": {"ui.grid.a"}, "ui.grid.d": set()}
    assert import_cycles(graph) == [["ui.grid.a", "ui.grid.b", "ui.grid.c"]]
    assert import_cycles({"x": {"y"}, "y": set()}) == []


#: Citations of documents that are not in the repository (the product brief, the style guide,
#: the contracts summary, the numbered provider documents it was specified from): a reader of
#: the installed plugin cannot look them up, so shipped code says what the rule is instead.
UNSHIPPED_DOCUMENT = re.compile(
    r"\b(?:CONTRACTS|DESIGN|STYLE)\.md\b"  # DESIGN.md F7, CONTRACTS.md §4.2, STYLE.md 5
    r"|\bDESIGN (?:F\d|§|section|\d)"  # DESIGN F7
    r"|(?i:\bseeds? ?\d{3}\b)"  # seed 003, Seed 000, seeds 000/001
    r"|\bshared/(?:contracts|seeds)\b"
)


def unshipped_citations(text: str) -> list[tuple[int, str]]:
    return [
        (number, line.strip()) for number, line in enumerate(text.splitlines(), 1) if UNSHIPPED_DOCUMENT.search(line)
    ]


def test_shipped_code_cites_no_document_outside_the_repository():
    """Issue 12: shipped code said ``CONTRACTS.md §...``, ``seed 003`` or ``DESIGN.md F7``
    where it should say what the rule is. tests/ and sandbox/ are not shipped (the sandbox
    names the provider document it follows; that is its purpose)."""
    files = PLUGIN_SOURCES + [
        p
        for name in ("core", "providers", "ui", "toolbelt", "tasks", "processing")
        for p in (ROOT / name).rglob("*.ui")
    ]
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line}"
        for path in files
        for number, line in unshipped_citations(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "say what the rule is instead of citing a document not shipped:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "line",
    [
        "Pages are 0-based (CONTRACTS.md 1.3).",
        '(CONTRACTS.md §4.2 "binary GeoTIFF")',
        '"""Orders (DESIGN.md F3, F7)."""',
        "Cancelling (DESIGN F7): the rule",
        "A passive view (STYLE.md 5): it emits",
        "#: the only licence type seed 003 names",
        "Seed 002: after placement UP42's support",
        "(CONTRACTS.md §4, contracts/clearsky, seeds 000/001)",
        "Sources: ``shared/contracts/CONTRACTS.md``",
    ],
)
def test_the_citation_rule_detects_a_citation(line):
    assert unshipped_citations(f"ok\n{line}\n") == [(2, line)]


@pytest.mark.parametrize(
    "line",
    [
        'ClearSKY\'s "Order Data" guide: polygons are billed at a minimum of 1 km²',
        "``seed`` adds a per-pixel noise (seed=0)",
        "design 5120 x 5120 px tiles",
        "STYLES = {",
    ],
)
def test_the_citation_rule_leaves_plain_text_alone(line):
    assert unshipped_citations(line) == []
