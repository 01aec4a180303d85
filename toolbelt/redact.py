"""Redaction of secrets in text: bearer tokens, API keys, passwords, client secrets.

Pure Python so core, providers, tasks and tests can all use it. Two layers:
patterns for things that look like credentials, and the exact values of the
credentials Nadir resolved at run time (:func:`register_secret`).
"""

from __future__ import annotations

import re
import threading

MASK = "***"

_KEY_NAMES = (
    r"api[_-]?key|apikey|x-api-key|access[_-]?token|refresh[_-]?token|id[_-]?token|token|"
    r"client[_-]?secret|password|passwd|pwd|secret|authorization|proxy-authorization"
)

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Authorization: Bearer xxx / Basic xxx (headers, curl lines, reprs)
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}"), r"\1 " + MASK),
    # key=value and key: value (query strings, form bodies, headers, logs)
    (
        re.compile(rf"(?i)\b({_KEY_NAMES})(\s*[=:]\s*)(?!\*\*\*)([^\s&,;'\"}}\]]+)"),
        r"\1\2" + MASK,
    ),
    # "key": "value" in JSON, and 'key': 'value' in Python reprs
    (
        re.compile(rf"(?i)([\"']({_KEY_NAMES})[\"']\s*:\s*[\"'])([^\"']+)([\"'])"),
        r"\1" + MASK + r"\4",
    ),
    # user:password@host in URLs (proxy URLs)
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]+):([^/\s@]+)@"), r"\1:" + MASK + "@"),
    # JWTs wherever they appear
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), MASK),
    # Geopera API keys
    (re.compile(r"\bgpra_[A-Za-z0-9_-]{6,}"), MASK),
)

_secrets_lock = threading.Lock()
_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    """Remember a credential value so it is masked wherever it appears later.

    Values shorter than 4 characters are ignored: masking them would mangle text.
    """
    if value and len(value) >= 4:
        with _secrets_lock:
            _secrets.add(value)


def forget_secrets() -> None:
    with _secrets_lock:
        _secrets.clear()


def redact(text: str) -> str:
    if not text:
        return text
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)
    for value in known:
        if value in text:
            text = text.replace(value, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
