"""Translations (STYLE.md 14): every user string can be extracted, and German is complete.

Extraction (``scripts/i18n_extract.py``) reads only literals: ``tr(f"...")``, ``tr(a + b)`` or
``tr(variable)`` can never be translated, so ``tr()`` must get a literal (format afterwards); texts held in
variables are marked with ``QT_TRANSLATE_NOOP`` and translated with ``tr_marked()``.
"""

from __future__ import annotations

import ast
import shutil
import sys

import pytest

from support.package import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import i18n

SHIPPED = ("plugin.py", "__init__.py", "ui", "toolbelt", "tasks", "processing")


def _python_files():
    for name in SHIPPED:
        path = ROOT / name
        yield from ([path] if path.is_file() else sorted(path.rglob("*.py")))


def test_every_tr_call_gets_a_literal():
    offenders = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr":
                first = node.args[0] if node.args else None
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert not offenders, "tr() needs a literal (then .format()):\n" + "\n".join(offenders)


def test_no_tr_inside_fstring_braces():
    """f"<b>{tr('Next:')}</b> {text}" glues fragments: German needs the whole sentence to order its words
    (tr("<b>Next:</b> {}").format(text)); at most take the tr() out into a variable."""
    import i18n_extract

    found = [
        f"{m.path}:{m.line}: {m.source!r}"
        for m in i18n_extract.scan(i18n.source_files(), ROOT).messages
        if m.in_fstring
    ]
    assert not found, "tr() inside an f-string's braces:\n" + "\n".join(found)


def test_core_marks_are_extractable_without_qt():
    from nadir.core.i18n import QT_TRANSLATE_NOOP
    from nadir.core.provider_info import PROVIDERS

    assert QT_TRANSLATE_NOOP("Nadir", "Token server") == "Token server"
    assert any("core/provider_info.py" == p.relative_to(ROOT).as_posix() for p in i18n.source_files())
    assert PROVIDERS["up42"].url_roles[1].label == "Token server"


def test_german_is_complete_and_up_to_date():
    """Every string of the code is in nadir_de.ts, translated, with the same placeholders."""
    issues = i18n.problems("de")
    assert not issues, "\n".join(issues[:30]) + f"\n({len(issues)} in all; run `make translations`)"


def test_german_uses_qgis_terms():
    current = {source: entry.text for (_, source), entry in i18n.read_ts(i18n.ts_path("de")).items()}
    assert current["Cart"] == "Warenkorb"
    assert current["Tiles"] == "Kacheln"
    assert current["Orders"] == "Aufträge"
    assert current["Polygon layer"] == "Polygonlayer"
    assert current["Area"] == "Fläche"


@pytest.mark.skipif(not shutil.which("lrelease"), reason="lrelease (qttools5-dev-tools) is not installed")
def test_lrelease_builds_the_qm(tmp_path):
    built = i18n.build(tmp_path)
    assert [p.name for p in built] == ["nadir_de.qm"]
    assert built[0].stat().st_size > 10_000


def test_placeholder_check_catches_a_changed_or_renamed_field():
    assert i18n.placeholders("{} AOI(s), {:,.3f} km²") == i18n.placeholders("{} AOI(s) mit {:,.3f} km²")
    assert i18n.placeholders("{} AOI(s), {:,.3f} km²") != i18n.placeholders("{:,.3f} km², {} AOI(s)")  # swapped
    assert i18n.placeholders("{n} of {area}") == i18n.placeholders("{area} für {n}")  # named: any order
    assert i18n.placeholders("{area} · {v:,}") != i18n.placeholders("{Fläche} · {v:,}")
    assert i18n.placeholders("{:,.3f} km²") != i18n.placeholders("{:.3f} km²")
    assert i18n.placeholders("{!r}") != i18n.placeholders("{}")
