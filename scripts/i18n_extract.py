"""Find the user strings in Nadir's sources with Python's own parser (``ast``) and the .ui XML.

pylupdate5 reads Python with a small tokenizer and silently skips a call laid out the way
``ruff format`` lays it out (``QT_TRANSLATE_NOOP(`` alone on its line, one argument per
line, a trailing comma). Here the source is parsed as Python parses it, so the layout of
a call, its quotes, escapes and implicitly joined literals never change what is found.

The markers (``toolbelt/i18n.py``, ``core/i18n.py``), each with string literals:

- ``tr("text")``: context ``Nadir``; ``tr("text", "Context")`` (tr's own second
  parameter) that context;
- ``QT_TRANSLATE_NOOP("Context", "text")``: core's marks, translated later by ``tr_marked``;
- ``tr_marked("text")``: ``Nadir`` (usually it gets a variable holding a marked text, and
  then there is nothing to extract);
- ``trn("%n thing(s)", n)``: ``Nadir``, a plural (numerus) message;
- Qt's own ``translate("Context", "text")`` / ``QCoreApplication.translate(...)``, and
  ``self.tr("text")`` in a class (context: the class) or ``X.tr("text")`` (context ``X``),
  as pylupdate5 reads them;
- in ``.ui`` files every ``<string>`` without ``notr="true"``, context the form's ``<class>``.

A ``tr``, ``trn`` or ``QT_TRANSLATE_NOOP`` whose text or context is not a literal (an
f-string, a concatenation with ``+``, a variable) can never be translated: it is reported
as an issue instead of being skipped in silence.

A marker call inside an f-string's braces (``f"<b>{tr('Next:')}</b>"``) is found too and
flagged ``in_fstring``: pylupdate5 saw the whole f-string as one string token and never
extracted these.
"""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET  # nosec B405: Nadir's own .ui files
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_CONTEXT = "Nadir"
#: Nadir's markers whose text must be a literal: name -> (index of the text, of the context)
LITERAL_MARKERS = {"tr": (0, 1), "trn": (0, None), "QT_TRANSLATE_NOOP": (1, 0)}


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    path: str  # relative to the scanned root, with forward slashes
    line: int
    numerus: bool = False
    in_fstring: bool = False  # a call inside an f-string's braces: pylupdate5 never saw these


@dataclass
class Scan:
    messages: list[Message] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)  # "path:line: what is wrong"


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _argument(call: ast.Call, index: int | None, keyword: str) -> tuple[bool, ast.expr | None]:
    """(given, node) of a positional-or-keyword argument."""
    if index is not None and index < len(call.args):
        return True, call.args[index]
    for kw in call.keywords:
        if kw.arg == keyword:
            return True, kw.value
    return False, None


class _Visitor(ast.NodeVisitor):
    def __init__(self, rel: str, scan: Scan) -> None:
        self.rel = rel
        self.scan = scan
        self.classes: list[str] = []
        self.fstrings = 0

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self.fstrings += 1
        self.generic_visit(node)
        self.fstrings -= 1

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in LITERAL_MARKERS:
            self._nadir_marker(node, func.id)
        elif isinstance(func, ast.Name) and func.id == "tr_marked":
            self._add(node, DEFAULT_CONTEXT, _literal(node.args[0] if node.args else None))
        elif isinstance(func, (ast.Name, ast.Attribute)) and _name(func) == "translate":
            # Qt's translate(context, text[, disambiguation[, n]]); Nadir's own helpers pass variables
            args: list[ast.expr | None] = [*node.args[:2], None, None]
            context, text = _literal(args[0]), _literal(args[1])
            if context is not None:
                self._add(node, context, text, numerus=len(node.args) >= 4)
        elif isinstance(func, ast.Attribute) and func.attr == "tr":
            owner = ast.unparse(func.value)
            context = self.classes[-1] if owner == "self" and self.classes else owner.split(".")[-1]
            self._add(node, context, _literal(node.args[0] if node.args else None))
        self.generic_visit(node)

    def _nadir_marker(self, node: ast.Call, name: str) -> None:
        text_at, context_at = LITERAL_MARKERS[name]
        _, text_node = _argument(node, text_at, "text")
        given, context_node = _argument(node, context_at, "context")
        text = _literal(text_node)
        context = _literal(context_node) if given else DEFAULT_CONTEXT
        if text is None or context is None:
            call = ast.unparse(node)
            self.scan.issues.append(
                f"{self.rel}:{node.lineno}: {name}() needs string literals, then .format(): {call[:100]}"
            )
            return
        self._add(node, context, text, numerus=name == "trn")

    def _add(self, node: ast.Call, context: str, text: str | None, numerus: bool = False) -> None:
        if text:
            self.scan.messages.append(Message(context, text, self.rel, node.lineno, numerus, self.fstrings > 0))


def _name(func: ast.Name | ast.Attribute) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr


def scan_python(path: Path, rel: str, scan: Scan) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
    _Visitor(rel, scan).visit(tree)


def scan_ui(path: Path, rel: str, scan: Scan) -> None:
    root = ET.parse(path).getroot()  # nosec B314
    context = (root.findtext("class") or "").strip()
    for node in root.iter("string"):
        if node.get("notr") == "true" or not node.text:
            continue
        scan.messages.append(Message(context, node.text, rel, 0))


def scan(files: list[Path], root: Path) -> Scan:
    """Every message of ``files`` (``.py`` and ``.ui``), in file order, then source order."""
    result = Scan()
    for path in files:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
        (scan_ui if path.suffix == ".ui" else scan_python)(path, rel, result)
    return result
