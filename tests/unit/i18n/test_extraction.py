"""Extraction of the user strings does not depend on how the code is laid out.

pylupdate5 read Python with a tokenizer: after ``ruff format`` exploded
``QT_TRANSLATE_NOOP(`` calls one argument per line with a trailing comma, it silently
dropped 8 strings and ``i18n.py check`` said complete. ``scripts/i18n_extract.py`` parses
with ``ast``: these tests pin that it finds what pylupdate5 found on code laid out the old
way, also finds the exploded calls, and that ``check`` fails for a string missing from the .ts.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from support.package import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import i18n
import i18n_extract

needs_pylupdate5 = pytest.mark.skipif(not shutil.which("pylupdate5"), reason="pylupdate5 (pyqt5-dev-tools) missing")

# Laid out the way the code was before ruff format: every shape pylupdate5 reads correctly.
SAMPLE = '''\
"""A docstring mentioning tr("not a call") is no marker."""
from nadir.toolbelt.i18n import QT_TRANSLATE_NOOP, tr, tr_marked

TITLE = tr("Plain")
QUOTES = tr('Single quotes')
JOINED = tr("Implicitly "
            'joined '
            "over lines")
ESCAPES = tr("Say \\"hi\\"\\nthen go \\\\ home")
UNICODE = tr("Zur Kasse… ½ km²")
TRIPLE = tr("""Triple""")
TAGS = tr("<b>bold</b> & {} more")
# tr("in a comment") is no marker either
TEXT = "tr(\\"inside a string\\")"
MARKED = QT_TRANSLATE_NOOP("Nadir", "Marked in core")
OTHER = QT_TRANSLATE_NOOP("Other", "Another context")
LONG = QT_TRANSLATE_NOOP("Nadir", "A long mark over "
                         "two lines")
PAIR = tr("First of a pair"), tr("Second of a pair")
HELD = tr_marked(MARKED)


class Panel:
    def build(self):
        return [tr("In a method"), {"key": tr("In a dict")}, lambda: tr("In a lambda")]


def label(n):
    return tr("{} in a function").format(n)


SHARED = tr("Shared")
'''

SAMPLE_UI = """\
<?xml version="1.0" encoding="UTF-8"?>
<ui version="4.0">
<class>SampleDialog</class>
<widget class="QDialog" name="SampleDialog">
 <property name="windowTitle"><string>Sample &amp; title</string></property>
 <widget class="QLabel" name="a"><property name="text"><string notr="true">not translated</string></property></widget>
 <widget class="QLabel" name="b"><property name="toolTip"><string comment="hint">With a comment</string></property></widget>
 <widget class="QSpinBox" name="c"><property name="suffix"><string> day(s)</string></property></widget>
 <widget class="QLabel" name="d"><property name="text"><string/></property></widget>
 <widget class="QLabel" name="e"><property name="text"><string>Shared</string></property></widget>
</widget>
</ui>
"""

EXPECTED = {
    ("Nadir", "Plain"),
    ("Nadir", "Single quotes"),
    ("Nadir", "Implicitly joined over lines"),
    ("Nadir", 'Say "hi"\nthen go \\ home'),
    ("Nadir", "Zur Kasse… ½ km²"),
    ("Nadir", "Triple"),
    ("Nadir", "<b>bold</b> & {} more"),
    ("Nadir", "Marked in core"),
    ("Other", "Another context"),
    ("Nadir", "A long mark over two lines"),
    ("Nadir", "First of a pair"),
    ("Nadir", "Second of a pair"),
    ("Nadir", "In a method"),
    ("Nadir", "In a dict"),
    ("Nadir", "In a lambda"),
    ("Nadir", "{} in a function"),
    ("Nadir", "Shared"),
    ("Nadir", "Core only"),
    ("SampleDialog", "Sample & title"),
    ("SampleDialog", "With a comment"),
    ("SampleDialog", " day(s)"),
    ("SampleDialog", "Shared"),
}


def make_tree(root: Path, sample: str = SAMPLE) -> Path:
    """A plugin tree as source_files() lists it: plugin.py, ui/, core/ (only files with a mark)."""
    (root / "ui").mkdir(parents=True)
    (root / "core").mkdir()
    (root / "plugin.py").write_text('from .toolbelt.i18n import tr\n\nNAME = tr("Shared")\n', encoding="utf-8")
    (root / "__init__.py").write_text("", encoding="utf-8")
    (root / "ui" / "sample.py").write_text(sample, encoding="utf-8")
    (root / "ui" / "sample.ui").write_text(SAMPLE_UI, encoding="utf-8")
    (root / "core" / "marked.py").write_text(
        'from .i18n import QT_TRANSLATE_NOOP\n\nA = QT_TRANSLATE_NOOP("Nadir", "Core only")\n', encoding="utf-8"
    )
    (root / "core" / "plain.py").write_text(
        'def tr(x):\n    return x\n\n\nB = tr("Core, unmarked file")\n', encoding="utf-8"
    )
    return root


def scan_of(source: str, tmp_path: Path) -> i18n_extract.Scan:
    path = tmp_path / "one.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return i18n_extract.scan([path], tmp_path)


PENDING = 'P = trn("%n tile(s)", 3)\nQ = f"<b>{tr(\'Next:\')}</b>"\n'


def test_sample_gives_every_string_once_with_its_context(tmp_path):
    found = i18n.extracted(make_tree(tmp_path))
    assert set(found) == EXPECTED
    assert found[("Nadir", "Shared")] == ["ui/sample.py"]  # the last file that uses it, as pylupdate5 did
    assert found[("Nadir", "Core only")] == ["core/marked.py"]
    assert found[("SampleDialog", "Shared")] == ["ui/sample.ui"]


@needs_pylupdate5
def test_same_strings_and_files_as_pylupdate5_on_code_laid_out_the_old_way(tmp_path):
    root = make_tree(tmp_path)
    assert i18n.extracted(root) == i18n.pylupdate_extracted(root)


EXPLODED = """\
from nadir.toolbelt.i18n import QT_TRANSLATE_NOOP, tr

LABELS = (
    QT_TRANSLATE_NOOP(
        "Nadir",
        "Exploded mark, "
        "joined",
    ),
    tr(
        "Exploded tr",
    ),
)
TEMPLATES = [
    (
        r"valid, (\\d+)",
        QT_TRANSLATE_NOOP(
            "Nadir",
            "valid, {} warning(s)",
        ),
    ),
]
"""


def test_calls_exploded_one_argument_per_line_are_found(tmp_path):
    found = i18n.extracted(make_tree(tmp_path, SAMPLE + EXPLODED))
    assert set(found) == EXPECTED | {
        ("Nadir", "Exploded mark, joined"),
        ("Nadir", "Exploded tr"),
        ("Nadir", "valid, {} warning(s)"),
    }


@needs_pylupdate5
def test_pylupdate5_loses_the_exploded_marks(tmp_path):
    """Why the extractor was replaced: this is what happened after ruff format."""
    lost = set(i18n.extracted(make_tree(tmp_path, SAMPLE + EXPLODED))) - set(i18n.pylupdate_extracted(tmp_path))
    assert lost == {("Nadir", "Exploded mark, joined"), ("Nadir", "valid, {} warning(s)")}


def test_ruff_format_changes_nothing_that_is_extracted(tmp_path):
    """The sample reformatted as narrow as 40 columns (every call exploded) gives the same strings."""
    pytest.importorskip("ruff")
    sample = SAMPLE + EXPLODED + PENDING
    before = make_tree(tmp_path / "before", sample)
    root = make_tree(tmp_path / "after", sample)
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--isolated", "--line-length", "40", str(root)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    formatted = (root / "ui" / "sample.py").read_text(encoding="utf-8")
    assert formatted != sample and 'QT_TRANSLATE_NOOP(\n    "Nadir",' in formatted  # it did explode the calls
    assert i18n.extracted(root) == i18n.extracted(before)
    assert i18n.strings(root) == i18n.strings(before)  # pending ones too
    assert len(i18n.strings(root)) == len(EXPECTED) + 3 + 2 + 1  # exploded, pending, "Shared" in two files


def test_check_fails_when_a_string_of_the_code_is_missing_from_the_ts(tmp_path):
    root = make_tree(tmp_path)
    ts = tmp_path / "nadir_de.ts"
    found = i18n.extracted(root)
    i18n.write_ts(i18n.merged(found, {key: (f"DE {key[1]}", "") for key in found}, "de"), ts)
    assert i18n.problems("de", root, ts) == []

    with (root / "ui" / "sample.py").open("a", encoding="utf-8") as f:
        f.write(EXPLODED)
    issues = i18n.problems("de", root, ts)
    assert sorted(issues) == sorted(
        f"not in the .ts (run make translations): {text!r}"
        for text in ("Exploded mark, joined", "Exploded tr", "valid, {} warning(s)")
    )


def test_a_marker_without_literals_is_reported_not_skipped(tmp_path):
    scan = scan_of(
        """\
        NAME = "x"
        A = tr(f"Found {NAME}")
        B = tr("Found " + NAME)
        C = QT_TRANSLATE_NOOP("Nadir", NAME)
        D = tr("Text", NAME)
        E = trn(NAME, 3)
        F = tr_marked(NAME)  # a variable holding a marked text: by design
        G = QCoreApplication.translate(CONTEXT, NAME)  # how tr() itself is written
        """,
        tmp_path,
    )
    assert scan.messages == []
    assert [issue.split(":")[1] for issue in scan.issues] == ["2", "3", "4", "5", "6"]
    assert "tr() needs string literals" in scan.issues[0]


def test_check_reports_a_marker_without_literals(tmp_path):
    root = make_tree(tmp_path)
    ts = tmp_path / "nadir_de.ts"
    found = i18n.extracted(root)
    i18n.write_ts(i18n.merged(found, {key: (f"DE {key[1]}", "") for key in found}, "de"), ts)
    with (root / "ui" / "sample.py").open("a", encoding="utf-8") as f:
        f.write('\nLATE = tr(f"Found {TITLE}")\n')
    issues = i18n.problems("de", root, ts)
    assert len(issues) == 1 and issues[0].startswith("cannot be translated: ui/sample.py:"), issues


def test_contexts_follow_what_qt_looks_up_at_run_time(tmp_path):
    scan = scan_of(
        """\
        A = tr("Nadir's")
        B = tr("Elsewhere", "OtherContext")
        C = tr(text="By keyword", context="Keyed")
        D = QCoreApplication.translate("QtContext", "Qt translate")
        E = tr_marked("Marked literal")


        class Dialog(QDialog):
            def f(self):
                return self.tr("Qt self.tr")
        """,
        tmp_path,
    )
    assert [(m.context, m.source, m.line) for m in scan.messages] == [
        ("Nadir", "Nadir's", 1),
        ("OtherContext", "Elsewhere", 2),
        ("Keyed", "By keyword", 3),
        ("QtContext", "Qt translate", 4),
        ("Nadir", "Marked literal", 5),
        ("Dialog", "Qt self.tr", 10),
    ]
    assert scan.issues == []


def test_plurals_and_tr_inside_fstrings_are_written_too(tmp_path):
    """pylupdate5 never extracted these: plurals go into the .ts as numerus entries, tr() inside an
    f-string's braces as any other string."""
    root = make_tree(tmp_path, SAMPLE + PENDING)
    messages = {m.source: m for m in i18n_extract.scan(i18n.source_files(root), root).messages}
    assert messages["%n tile(s)"].numerus and not messages["%n tile(s)"].in_fstring
    assert messages["Next:"].in_fstring and not messages["Next:"].numerus
    result = i18n.extract_all(root)
    assert set(result.found) == EXPECTED | {("Nadir", "%n tile(s)"), ("Nadir", "Next:")}
    assert result.plurals == {("Nadir", "%n tile(s)")}
    assert result.issues == []


def _numerus(ts: Path, source: str) -> ET.Element:
    return next(m for m in ET.parse(ts).getroot().iter("message") if m.findtext("source") == source)


def test_a_plural_is_a_numerus_entry_with_the_languages_forms(tmp_path):
    """What lupdate writes and lrelease reads: <message numerus="yes">, one <numerusform> per German form."""
    root = make_tree(tmp_path, SAMPLE + PENDING)
    found, plurals, _ = i18n.extract_all(root)
    ts = tmp_path / "nadir_de.ts"
    i18n.write_ts(i18n.merged(found, {}, "de", plurals), ts)
    message = _numerus(ts, "%n tile(s)")
    assert message.get("numerus") == "yes"
    translation = message.find("translation")
    assert translation.get("type") == "unfinished"
    assert [f.text for f in translation.iter("numerusform")] == [None, None]
    assert _numerus(ts, "Plain").get("numerus") is None
    assert i18n.read_ts(ts)[("Nadir", "%n tile(s)")] == i18n.Entry("", "unfinished", ("", ""))
    assert "not translated: '%n tile(s)'" in i18n.problems("de", root, ts)

    # translated: kept as it is by the next merge, and check is content
    old = {key: i18n.Entry(f"DE {key[1]}", "") for key in found}
    old[("Nadir", "%n tile(s)")] = i18n.Entry("", "", ("%n Kachel", "%n Kacheln"))
    i18n.write_ts(i18n.merged(found, old, "de", plurals), ts)
    assert i18n.problems("de", root, ts) == []
    again = i18n.read_ts(ts)
    assert again[("Nadir", "%n tile(s)")] == i18n.Entry("", "", ("%n Kachel", "%n Kacheln"))
    i18n.write_ts(i18n.merged(found, again, "de", plurals), ts)
    assert i18n.read_ts(ts) == again


@pytest.mark.parametrize(
    ("forms", "problem"),
    [
        (("%n Kachel", ""), "not translated: '%n tile(s)'"),
        (("%n Kacheln",), "2 plural forms needed, 1 given: '%n tile(s)' -> ['%n Kacheln']"),
        (("eine Kachel", "%n Kacheln"), "placeholders differ: '%n tile(s)' -> 'eine Kachel'"),  # no count shown
        (("%n Kachel {}", "%n Kacheln"), "placeholders differ: '%n tile(s)' -> '%n Kachel {}'"),
    ],
)
def test_check_reports_a_plural_translated_wrong(tmp_path, forms, problem):
    root = make_tree(tmp_path, SAMPLE + PENDING)
    found, plurals, _ = i18n.extract_all(root)
    ts = tmp_path / "nadir_de.ts"
    old = {key: i18n.Entry(f"DE {key[1]}", "") for key in found}
    old[("Nadir", "%n tile(s)")] = i18n.Entry("", "", forms)
    i18n.write_ts(i18n.merged(found, old, "de", plurals), ts)
    assert i18n.problems("de", root, ts) == [problem]


def test_check_reports_a_plural_written_as_a_plain_string(tmp_path):
    """A .ts merged before trn() came in: the string is there, but lrelease would not find it with n."""
    root = make_tree(tmp_path, SAMPLE + PENDING)
    found = i18n.extract_all(root).found
    ts = tmp_path / "nadir_de.ts"
    i18n.write_ts(i18n.merged(found, {key: i18n.Entry(f"DE {key[1]}", "") for key in found}, "de"), ts)
    assert i18n.problems("de", root, ts) == [
        "a plural (trn) in the code but not in the .ts (run make translations): '%n tile(s)'"
    ]


def test_a_plural_without_a_count_or_also_used_with_tr_is_an_issue(tmp_path):
    root = make_tree(tmp_path, SAMPLE + 'A = trn("tile(s)", 3)\nB = trn("Shared", 2)\n')
    issues = i18n.extract_all(root).issues
    lines = len(SAMPLE.splitlines())
    assert issues == [
        f"ui/sample.py:{lines + 1}: trn() text without %n shows no count: 'tile(s)'",
        f"ui/sample.py:{lines + 2}: trn() text without %n shows no count: 'Shared'",
        "ui/sample.py: 'Shared' is used with trn() and with tr(): give the plural its own text",
    ]


def test_every_marker_of_the_shipped_code_is_extractable():
    found, issues = i18n.extraction()
    assert issues == []
    assert len(found) > 800 and ("Nadir", "Cart") in found
