"""The one list of redaction patterns: secrets in text, credentials in URLs.

Pure Python so core, providers, tasks, the toolbelt and tests all use the same rules
(``toolbelt.redact`` re-exports them for the QGIS side). Three layers:

- patterns for things that look like credentials: ``Authorization`` with any scheme
  (Bearer, Basic, Token, ApiKey, AWS4-HMAC-SHA256...), ``key=value`` / ``key: value`` /
  JSON pairs with a credential-like key (tokens, keys, passwords, secrets, signed-link
  parameters: ``signature``, ``X-Amz-Signature``, ``X-Amz-Credential``, Azure SAS
  ``sig``...), cookies, proxy passwords in URLs, JWTs, Geopera keys, and the headers
  httpcore logs as byte tuples (``(b'Set-Cookie', b'...')``, a redirect's ``Location``);
- the exact values of the credentials Nadir resolved at run time
  (:func:`register_secret`);
- :func:`strip_url_credentials` for URLs that are kept (layer sources, metadata): the
  credential parameters of the query string are removed, the rest stays.
"""

from __future__ import annotations

import re
import threading
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

MASK = "***"

#: Query parameters and field names whose value is a credential (lower case; the
#: patterns match them case-insensitively).
_KEY_NAMES = (
    r"api[_-]?key|apikey|x-api-key|access[_-]?token|refresh[_-]?token|id[_-]?token|session[_-]?token|token|"
    r"client[_-]?secret|password|passwd|pwd|secret|authorization|proxy-authorization|"
    r"x-amz-signature|x-amz-credential|x-amz-security-token|signature|sig|key|"
    r"set-cookie|cookie|idempotency-key"
)

#: Header names httpcore logs in ``(b'Name', b'value')`` tuples whose value is masked.
_HEADER_NAMES = (
    r"authorization|proxy-authorization|www-authenticate|proxy-authenticate|set-cookie|cookie|"
    r"x-api-key|x-amz-security-token|idempotency-key|[\w-]*token[\w-]*|[\w-]*secret[\w-]*|[\w-]*api-?key[\w-]*"
)

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Authorization: Bearer xxx / Basic xxx (headers, curl lines, reprs)
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}"), r"\1 " + MASK),
    # Authorization: <any scheme> <credentials> (Token, ApiKey, AWS4-HMAC-SHA256, Digest...)
    (
        re.compile(
            r"(?i)\b((?:proxy-)?authorization[\"']?\s*[=:]\s*[\"']?)([A-Za-z][\w.-]*)\s+(?!\*\*\*)"
            r"[^\s'\",;]+"
        ),
        r"\1\2 " + MASK,
    ),
    # httpcore's header tuples: (b'Set-Cookie', b'session=...'), (b'Authorization', b'...')
    (
        re.compile(rf"(?i)(\(b?(['\"])(?:{_HEADER_NAMES})\2,\s*b?(['\"]))(?:(?!\3).)*(\3\))"),
        r"\1" + MASK + r"\4",
    ),
    # a redirect's Location (tuple or header text): its query string goes
    (re.compile(r"(?i)(\(b?(['\"])location\2,\s*b?(['\"])[^?'\"]*\?)[^'\"]*"), r"\1" + MASK),
    (re.compile(r"(?i)\b(location\s*:\s*[^\s?]*\?)\S*"), r"\1" + MASK),
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

_URL_QUERY = re.compile(r"(?i)\b(https?://[^\s?#'\"<>]+)\?[^\s#'\"<>]*")
_CREDENTIAL_PARAM = re.compile(
    rf"(?i)^(?:{_KEY_NAMES}|x-amz-[\w-]+|se|sp|sv|sr|st|skoid|sktid|expires|"
    r"key-pair-id|policy|ossaccesskeyid|googleaccessid|x-goog-[\w-]+)$"
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


def strip_queries(text: str) -> str:
    """Every ``http(s)://`` URL in ``text`` without its query string (log lines)."""
    return _URL_QUERY.sub(r"\1", text) if text and "?" in text else text


def strip_url_credentials(url: str) -> str:
    """``url`` without the query parameters of a signed link or a key (``signature``,
    ``X-Amz-*``, Azure SAS ``sig``/``se``/``sp``..., ``token``, ``key``...): what may be
    kept in a layer source, metadata or a project. Other parameters stay."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _CREDENTIAL_PARAM.match(k)]
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in kept)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


_ANY_URL = re.compile(r"(?i)\bhttps?://[^\s\"'<>]+")


def scrub_urls(text: str) -> str:
    """Every ``http(s)://`` URL in ``text`` through :func:`strip_url_credentials`."""
    if not text or "?" not in text:
        return text
    return _ANY_URL.sub(lambda match: strip_url_credentials(match.group(0)), text)


def short_reference(reference: str) -> str:
    """A reference (an idempotency key) as it may appear in a log: its first 8 characters."""
    return f"{reference[:8]}…" if len(reference) > 8 else reference
