"""Marking core's English texts for translation without Qt.

Core raises and returns English. Texts the UI shows as they are (labels, hints) are
wrapped in ``QT_TRANSLATE_NOOP("Nadir", "...")``: it returns the text unchanged, and
``scripts/i18n.py`` extracts it, so the UI's ``tr_marked()`` finds its
translation. Formatted messages are translated on the UI side (``ui/core_text.py``).
"""

from __future__ import annotations


def _mark(context: str, text: str) -> str:
    del context  # read by the extraction (scripts/i18n_extract.py) only
    return text


QT_TRANSLATE_NOOP = _mark
