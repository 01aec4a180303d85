"""Translations: extract the user strings, build the .qm files with lrelease.

    python scripts/i18n.py extract   # re-extract into resources/i18n/nadir_<lang>.ts (make translations)
    python scripts/i18n.py build     # lrelease every .ts into a .qm next to it (make package, tests)
    python scripts/i18n.py check     # fail if a .ts is out of date or has unfinished/unsafe entries
    python scripts/i18n.py compare   # the strings pylupdate5 would find vs ours (needs pylupdate5)
    python scripts/i18n.py strings   # every string found, one JSON line each, sorted (apply_format.sh)

Sources are every shipped ``.py`` and ``.ui`` file (the folders ``scripts/package.py``
ships), listed here rather than in a hand-kept project file. The strings are found by
``scripts/i18n_extract.py`` with Python's own parser, so the layout of the code (``ruff
format`` explodes calls one argument per line with a trailing comma) never loses one;
pylupdate5's tokenizer did, silently. ``tr("...")`` of Nadir's module-level ``tr`` is looked
up in the context ``Nadir`` at run time (``toolbelt/i18n.py``), core's
``QT_TRANSLATE_NOOP("Nadir", ...)`` marks carry it, and ``.ui`` strings keep the form's
class as context (uic translates them so).

The merge keeps every existing translation by (context, source), marks new strings
``unfinished`` and strings no longer in the code ``vanished`` (kept for the translator,
ignored by lrelease). Locations carry file names but no line numbers, so an edit
elsewhere in a file does not touch the .ts; a string used in several files names the last
one in source order (as pylupdate5 did, so the .ts did not change when the extractor did).

Plurals (``trn("%n AOI(s)", n)``) are Qt numerus entries: ``<message numerus="yes">`` with
one ``<numerusform>`` per plural form of the language (German: singular, plural), which
lrelease builds into the .qm and ``QCoreApplication.translate(context, text, None, n)``
picks by ``n``. pylupdate5 never extracted them, nor ``tr()`` inside an f-string's
braces; ``compare`` lists both as found by us only, which is expected.
"""

from __future__ import annotations

import json
import os
import shutil
import string
import subprocess  # nosec B404: fixed argument lists of the Qt tools, no shell
import sys
import tempfile
import xml.etree.ElementTree as ET  # nosec B405: our own .ts files and pylupdate5's output
from pathlib import Path
from typing import NamedTuple

import i18n_extract  # scripts/i18n_extract.py, next to this file

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("de",)
CONTEXT = "Nadir"
SOURCE_DIRS = ("core", "providers", "ui", "tasks", "toolbelt", "processing")
SOURCE_FILES = ("plugin.py", "__init__.py")
MARK = "QT_TRANSLATE_NOOP("
#: plural forms per language, as Qt's numerus rules count them (lrelease writes the rules into the .qm)
NUMERUS_FORMS = {"de": 2}


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(f"{name}-qt5")
    if not found:
        raise SystemExit(f"{name} is missing: apt-get install pyqt5-dev-tools qttools5-dev-tools")
    return found


def source_files(root: Path = ROOT) -> list[Path]:
    files = [root / name for name in SOURCE_FILES]
    for folder in SOURCE_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if "__pycache__" in path.parts or path.suffix not in (".py", ".ui"):
                continue
            if folder in ("core", "providers") and MARK not in path.read_text(encoding="utf-8"):
                continue  # Qt-free code: only the strings it marks for the UI to translate
            files.append(path)
    return files


Key = tuple[str, str]  # (context, source)


class Entry(NamedTuple):
    """One message of a .ts: its translation (``forms`` instead for a plural) and type."""

    text: str
    kind: str  # "", "unfinished" or "vanished"
    forms: tuple[str, ...] = ()  # the numerusforms of a plural message, else ()

    @property
    def translated(self) -> bool:
        return bool(self.text or any(self.forms))


class Extraction(NamedTuple):
    found: dict[Key, list[str]]  # (context, source) -> [the last file it occurs in]
    plurals: set[Key]  # the trn() messages among them: numerus entries
    issues: list[str]  # marker calls that cannot be extracted, plurals that show no count


def extract_all(root: Path = ROOT) -> Extraction:
    scan = i18n_extract.scan(source_files(root), root)
    result = Extraction({}, set(), list(scan.issues))
    singular: set[Key] = set()
    for message in scan.messages:
        key = (message.context, message.source)
        result.found[key] = [message.path]
        (result.plurals if message.numerus else singular).add(key)
        if message.numerus and "%n" not in message.source:
            result.issues.append(
                f"{message.path}:{message.line}: trn() text without %n shows no count: {message.source!r}"
            )
    for key in sorted(result.plurals & singular):  # one .ts entry cannot be both
        result.issues.append(
            f"{result.found[key][0]}: {key[1]!r} is used with trn() and with tr(): give the plural its own text"
        )
    return result


def extraction(root: Path = ROOT) -> tuple[dict[Key, list[str]], list[str]]:
    """(context, source) -> [the last file it occurs in], and the marker calls that cannot be
    extracted (a text or context that is not a literal)."""
    result = extract_all(root)
    return result.found, result.issues


def extracted(root: Path = ROOT) -> dict[Key, list[str]]:
    return extraction(root)[0]


def pylupdate_extracted(root: Path = ROOT) -> dict[Key, list[str]]:
    """What pylupdate5 finds in the same sources (the extractor used until 2026-12): for
    ``compare`` and the equivalence test. It misses calls laid out as ``ruff format`` does."""
    with tempfile.TemporaryDirectory() as tmp:
        ts = Path(tmp) / "extract.ts"
        args = [tool("pylupdate5"), *(str(p) for p in source_files(root)), "-ts", str(ts)]
        subprocess.run(args, check=True, capture_output=True)  # nosec B603
        tree = ET.parse(ts)  # nosec B314
        base = Path(tmp).resolve()
    found: dict[Key, list[str]] = {}
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        name = CONTEXT if name == "@default" else name
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            files = found.setdefault((name, source), [])
            for location in message.iter("location"):
                where = Path(os.path.normpath(base / location.get("filename", "")))
                rel = where.relative_to(root.resolve()).as_posix()
                if rel not in files:
                    files.append(rel)
    return found


def read_ts(path: Path) -> dict[Key, Entry]:
    """(context, source) -> (translation, type, plural forms) of an existing .ts."""
    if not path.exists():
        return {}
    result = {}
    for context in ET.parse(path).getroot().iter("context"):  # nosec B314
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            node = message.find("translation")
            kind = node.get("type", "") if node is not None else "unfinished"
            if message.get("numerus") == "yes":
                forms = tuple(form.text or "" for form in (node.iter("numerusform") if node is not None else ()))
                entry = Entry("", kind, forms)
            else:
                entry = Entry((node.text or "") if node is not None else "", kind)
            result[(name, message.findtext("source") or "")] = entry
    return result


def merged(
    found: dict[Key, list[str]], old: dict[Key, Entry], language: str, plurals: set[Key] | frozenset[Key] = frozenset()
) -> ET.ElementTree:
    """The .ts of ``found`` (``plurals`` among them as numerus entries) with the translations of ``old``."""
    root = ET.Element("TS", version="2.1", language=language, sourcelanguage="en")
    contexts: dict[str, ET.Element] = {}
    # Nadir first, then the forms; messages by file, then source: a stable order for small diffs
    keys = sorted(found, key=lambda k: (k[0] != CONTEXT, k[0], found[k][:1], k[1]))
    vanished = sorted(k for k in old if k not in found and Entry(*old[k]).translated)
    for key in [*keys, *vanished]:
        name, source = key
        if name not in contexts:
            contexts[name] = ET.SubElement(root, "context")
            ET.SubElement(contexts[name], "name").text = name
        entry = Entry(*old.get(key, ("", "unfinished")))
        plural = key in plurals if key in found else bool(entry.forms)
        message = (
            ET.SubElement(contexts[name], "message", numerus="yes")
            if plural
            else ET.SubElement(contexts[name], "message")
        )
        for rel in found.get(key, []):
            ET.SubElement(message, "location", filename=f"../../{rel}")
        ET.SubElement(message, "source").text = source
        node = ET.SubElement(message, "translation")
        if plural:  # the old forms, or as many empty ones as the language has
            for form in entry.forms or ("",) * NUMERUS_FORMS.get(language, 2):
                ET.SubElement(node, "numerusform").text = form
            done = bool(entry.forms) and all(entry.forms)
        else:
            node.text = entry.text
            done = bool(entry.text)
        if key not in found:
            node.set("type", "vanished")
        elif not done or entry.kind == "unfinished":
            node.set("type", "unfinished")
    tree = ET.ElementTree(root)
    ET.indent(tree, space="    ")
    return tree


def write_ts(tree: ET.ElementTree, path: Path) -> None:
    body = ET.tostring(tree.getroot(), encoding="unicode")
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n{body}\n', encoding="utf-8")


def ts_path(language: str) -> Path:
    return I18N / f"nadir_{language}.ts"


def extract() -> int:
    I18N.mkdir(parents=True, exist_ok=True)
    found, plurals, issues = extract_all()
    for language in LANGUAGES:
        path = ts_path(language)
        tree = merged(found, read_ts(path), language, plurals)
        write_ts(tree, path)
        todo = sum(1 for entry in read_ts(path).values() if entry.kind == "unfinished")
        print(f"{path.relative_to(ROOT)}: {len(found)} strings ({len(plurals)} plurals), {todo} to translate")
    for issue in issues:
        print(f"cannot be translated: {issue}", file=sys.stderr)
    return 1 if issues else 0


def build(out_dir: Path = I18N) -> list[Path]:
    """lrelease each .ts into ``out_dir``; skipped when the .qm is newer than its .ts."""
    built = []
    for ts in sorted(I18N.glob("nadir_*.ts")):
        qm = out_dir / ts.with_suffix(".qm").name
        if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            subprocess.run(
                [tool("lrelease"), "-silent", str(ts), "-qm", str(qm)],  # nosec B603
                check=True,
                capture_output=True,
            )
        built.append(qm)
    return built


def placeholders(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]] | None:
    """The str.format fields of a text: the automatic ones (``{}``, ``{:,.1f}``) in order, since a
    translation cannot reorder them, and the named or numbered ones sorted; None if not a format."""
    try:
        fields = [
            (name, conversion or "", spec or "")
            for _, name, spec, conversion in string.Formatter().parse(text)
            if name is not None
        ]
    except ValueError:
        return None
    return [(c, f) for n, c, f in fields if n == ""], sorted(x for x in fields if x[0] != "")


def problems(language: str, root: Path = ROOT, ts: Path | None = None) -> list[str]:
    """What is wrong with one .ts: missing or stale strings, unfinished ones, broken placeholders,
    and marker calls whose text is no literal. ``root``/``ts``: another tree (tests)."""
    found, plurals, not_literal = extract_all(root)
    current = read_ts(ts or ts_path(language))
    issues = [f"cannot be translated: {issue}" for issue in not_literal]
    issues += [f"not in the .ts (run make translations): {s!r}" for (c, s) in found if (c, s) not in current]
    for key, entry in current.items():
        if key not in found:
            if entry.kind != "vanished":
                issues.append(f"no longer in the code (run make translations): {key[1]!r}")
            continue
        if (key in plurals) != bool(entry.forms):
            kind = "a plural (trn)" if key in plurals else "no plural"
            issues.append(f"{kind} in the code but not in the .ts (run make translations): {key[1]!r}")
        elif key in plurals:
            issues += plural_problems(key[1], entry, NUMERUS_FORMS.get(language, 2))
        elif entry.kind == "unfinished" or not entry.text:
            issues.append(f"not translated: {key[1]!r}")
        elif placeholders(entry.text) != placeholders(key[1]):
            issues.append(f"placeholders differ: {key[1]!r} -> {entry.text!r}")
    return issues


def plural_problems(source: str, entry: Entry, count: int) -> list[str]:
    """A plural's translation: ``count`` forms, each translated, each showing the count (%n
    as often as the source) with the source's str.format fields."""
    if entry.kind == "unfinished" or not all(entry.forms):
        return [f"not translated: {source!r}"]
    if len(entry.forms) != count:
        return [f"{count} plural forms needed, {len(entry.forms)} given: {source!r} -> {list(entry.forms)}"]
    return [
        f"placeholders differ: {source!r} -> {form!r}"
        for form in entry.forms
        if form.count("%n") != source.count("%n") or placeholders(form) != placeholders(source)
    ]


def compare(root: Path = ROOT) -> int:
    """Print the (context, source) pairs only one of the extractors finds; 1 if there are any
    besides what pylupdate5 cannot see (plurals, tr() inside an f-string's braces)."""
    unseen = {
        (m.context, m.source): m
        for m in i18n_extract.scan(source_files(root), root).messages
        if m.numerus or m.in_fstring
    }
    ours, theirs = extracted(root), pylupdate_extracted(root)
    lines = [f"only pylupdate5: {k} {theirs[k]}" for k in theirs if k not in ours]
    lines += [f"only i18n_extract: {k} {ours[k]}" for k in ours if k not in theirs and k not in unseen]
    lines += [
        f"other file: {k} {ours[k]} (pylupdate5: {theirs[k]})" for k in ours if k in theirs and ours[k] != theirs[k]
    ]
    same = len([k for k in ours if k in theirs])
    print("\n".join(lines) or f"same {same} strings in the same files")
    for m in sorted((m for k, m in unseen.items() if k not in theirs), key=lambda m: (m.path, m.line)):
        kind = "plural (trn)" if m.numerus else "tr() inside an f-string"
        print(f"only i18n_extract, as expected: pylupdate5 misses a {kind}: {m.path}:{m.line}: {m.source!r}")
    return 1 if lines else 0


def strings(root: Path = ROOT) -> list[str]:
    """Every (context, source, file, kind) found, pending ones included, as sorted JSON lines:
    two trees give the same lines when they hold the same strings in the same files."""
    rows = {
        (m.context, m.source, m.path, "plural" if m.numerus else "f-string" if m.in_fstring else "")
        for m in i18n_extract.scan(source_files(root), root).messages
    }
    return [json.dumps(row, ensure_ascii=False) for row in sorted(rows)]


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "extract"
    if command == "extract":
        return extract()
    elif command == "build":
        for qm in build():
            print(qm.relative_to(ROOT))
    elif command == "check":
        issues = [f"{lang}: {issue}" for lang in LANGUAGES for issue in problems(lang)]
        print("\n".join(issues) or "translations complete")
        return 1 if issues else 0
    elif command == "compare":
        return compare()
    elif command == "strings":
        print("\n".join(strings()))
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
