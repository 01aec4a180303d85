"""Qt6 readiness, checked against PyQt6 itself rather than assumed.

Every name the shipped code imports from ``qgis.PyQt.<module>`` must exist in
``PyQt6.<module>`` (QGIS 4's ``qgis.PyQt`` is a thin layer over PyQt6 with the Qt6 module
layout), and every pure attribute chain rooted at such a name (``Qt.AlignmentFlag.AlignLeft``,
``QSizePolicy.Policy.Expanding``, ``QDialog.exec``...) must resolve there: an unscoped enum
(``Qt.AlignLeft``), ``exec_`` or a class that moved modules fails here.

PyQt6 (a PyPI wheel, no QGIS) is imported in a child process so the unit tier stays free of Qt.
Lines inside the Qt5 branches of ``toolbelt/compat.py`` carry ``# qt5-only`` and are skipped.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("__init__.py", "plugin.py", "core", "providers", "ui", "tasks", "toolbelt", "processing")

# Qt6 moved these from QtWidgets to QtGui; QGIS's Qt6 ``qgis.PyQt.QtWidgets`` re-exports them
# so plugin code can keep importing them from QtWidgets on both.
MOVED_TO_QTGUI = {"QAction", "QActionGroup", "QShortcut", "QFileSystemModel", "QUndoCommand"}
# Not in PyQt6: QGIS-provided modules under qgis.PyQt and names PyQt6 dropped on purpose.
NOT_PYQT = {"uic": None}


def shipped_files() -> list[Path]:
    files: list[Path] = []
    for name in SHIPPED:
        path = ROOT / name
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return files


def _chain(node: ast.AST) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts[::-1]
    return None


def qt_uses(path: Path) -> tuple[dict[str, str], set[tuple[str, ...]]]:
    """Names imported from qgis.PyQt (name -> module) and attribute chains rooted at them."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    skipped = {i + 1 for i, line in enumerate(source.splitlines()) if "# qt5-only" in line}
    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("qgis.PyQt"):
            if node.lineno in skipped:
                continue
            module = node.module[len("qgis.PyQt") :].lstrip(".")
            for alias in node.names:
                imported[alias.asname or alias.name] = f"{module}.{alias.name}" if module else alias.name
    chains: set[tuple[str, ...]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and getattr(node, "lineno", 0) not in skipped:
            chain = _chain(node)
            if chain and chain[0] in imported:
                chains.add(tuple(chain))
    return imported, chains


def collect() -> dict[str, list[list[str]]]:
    """``{"Module.Name": [[attr, ...], ...]}`` for the whole shipped code."""
    wanted: dict[str, set[tuple[str, ...]]] = {}
    for path in shipped_files():
        imported, chains = qt_uses(path)
        for qualified in imported.values():
            wanted.setdefault(qualified, set())
        for chain in chains:
            wanted[imported[chain[0]]].add(chain[1:])
    # keep only the longest chains: a.b.c checks a.b too
    out: dict[str, list[list[str]]] = {}
    for qualified, chains in wanted.items():
        longest = {c for c in chains if not any(o != c and o[: len(c)] == c for o in chains)}
        out[qualified] = sorted(list(c) for c in longest)
    return out


RESOLVE = textwrap.dedent(
    """
    import importlib, json, sys
    wanted, moved, skip = json.loads(sys.stdin.read())
    problems = []
    for qualified, chains in wanted.items():
        module, _, name = qualified.rpartition(".")
        if module in skip or qualified in skip:
            continue
        if not module:  # "from qgis.PyQt import QtCore"
            try:
                importlib.import_module("PyQt6." + name)
            except ImportError as exc:
                problems.append(f"PyQt6.{name}: {exc}")
            continue
        target_module = "QtGui" if module == "QtWidgets" and name in moved else module
        try:
            obj = getattr(importlib.import_module("PyQt6." + target_module), name)
        except (ImportError, AttributeError):
            problems.append(f"{qualified}: not in PyQt6.{target_module}")
            continue
        for chain in chains:
            current = obj
            for i, attr in enumerate(chain):
                if attr in ("__class__", "__name__"):
                    break
                if not hasattr(current, attr):
                    problems.append(f"{qualified}.{'.'.join(chain[: i + 1])}: not in PyQt6")
                    break
                current = getattr(current, attr)
    print(json.dumps(problems))
    """
)


def resolve_in_pyqt6(wanted: dict[str, list[list[str]]]) -> list[str]:
    payload = json.dumps([wanted, sorted(MOVED_TO_QTGUI), sorted(NOT_PYQT)])
    done = subprocess.run(
        [sys.executable, "-c", RESOLVE],
        input=payload,
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return list(json.loads(done.stdout))


@pytest.fixture(scope="module")
def pyqt6_available() -> None:
    probe = subprocess.run([sys.executable, "-c", "import PyQt6.QtCore"], capture_output=True, timeout=60)
    if probe.returncode != 0:
        pytest.fail("PyQt6 is not installed in the test environment (requirements/dev.txt pins it)")


def test_the_scan_sees_the_plugins_qt_use():
    wanted = collect()
    # a sanity floor: if the walk broke, these would vanish and the check below would pass vacuously
    assert {"QtCore.Qt", "QtWidgets.QAction", "QtWidgets.QMessageBox", "uic"} <= set(wanted)
    assert ["AlignmentFlag", "AlignRight"] in wanted["QtCore.Qt"]
    assert sum(len(c) for c in wanted.values()) > 50
    # the Qt5 branch of compat is marked and skipped, the Qt6 one is checked; QVariant itself
    # exists in PyQt6 (the search layer shares ready values), its Qt5-only type enum does not
    assert ["String"] not in wanted.get("QtCore.QVariant", []) and "QtCore.QMetaType" in wanted


def test_every_qt_name_and_scoped_enum_resolves_in_pyqt6(pyqt6_available):
    problems = resolve_in_pyqt6(collect())
    assert problems == [], "\n".join(problems)


def test_the_check_fails_on_qt5_only_spellings(pyqt6_available):
    """The check can fail: unscoped enums, exec_ and a class in its Qt5 module are reported."""
    wanted = {
        "QtCore.Qt": [["AlignLeft"], ["AlignmentFlag", "AlignLeft"]],
        "QtWidgets.QDialog": [["exec_"], ["exec"]],
        "QtWidgets.QRegExpValidator": [],
        "QtWidgets.QAction": [["triggered"]],
    }
    problems = resolve_in_pyqt6(wanted)
    assert sorted(problems) == [
        "QtCore.Qt.AlignLeft: not in PyQt6",
        "QtWidgets.QDialog.exec_: not in PyQt6",
        "QtWidgets.QRegExpValidator: not in PyQt6.QtWidgets",
    ]
