"""Translating the English texts core and the providers produce.

Core raises English messages built with f-strings. The UI passes what it shows through
``tr_core()``: a text marked in core with ``QT_TRANSLATE_NOOP`` is translated as is;
a message matching one of the known templates below is taken apart, its template
translated and its parts put back (parts that are themselves known phrases, such as a
transport failure, are translated too). Anything else is shown in English.

Covered: AOI status cells, repair and simplify previews, the HTTP layer's network,
TLS, proxy, credential, rate-limit, availability and invalid-answer messages, and a
cancelled operation. Not covered: the many per-rule AOI validation messages, the
configure dialog's rule texts and provider-specific rejections (they carry the
provider's own words anyway).
"""

from __future__ import annotations

import re
from typing import Callable

from .i18n import QT_TRANSLATE_NOOP, tr, tr_marked

SETTINGS = "Settings > Options > Nadir"
NETWORK = "Settings > Options > Network"
CERTIFICATES = "Settings > Options > Authentication > Certificate Manager"


def _phrases() -> dict[str, str]:
    return {
        "the request timed out": tr("the request timed out"),
        "the connection could not be opened": tr("the connection could not be opened"),
        "the connection was closed before the answer was complete": tr(
            "the connection was closed before the answer was complete"
        ),
        "the connection failed": tr("the connection failed"),
        "an empty body instead of JSON": tr("an empty body instead of JSON"),
        "malformed or truncated JSON": tr("malformed or truncated JSON"),
        "The operation was cancelled.": tr("The operation was cancelled."),
        "valid": tr("valid"),
    }


def _part(text: str) -> str:
    return _phrases().get(text, text)


Parts = Callable[[re.Match[str]], tuple[str, ...]]

#: (regular expression over the English message, the English template, its parts in order)
TEMPLATES: tuple[tuple[str, str, Parts], ...] = (
    (r"valid, (\d+) warnings?", QT_TRANSLATE_NOOP("Nadir", "valid, {} warning(s)"), lambda m: (m[1],)),
    (r"invalid: (.+) \(\+(\d+) more\)", QT_TRANSLATE_NOOP("Nadir", "invalid: {} (+{} more)"), lambda m: (m[1], m[2])),
    (r"invalid: (.+)", QT_TRANSLATE_NOOP("Nadir", "invalid: {}"), lambda m: (m[1],)),
    (
        r"Repaired: (\S+) polygons? \(was (\S+)\), (\S+) km² \(was (\S+) km², (\S+) %\)\.",
        QT_TRANSLATE_NOOP("Nadir", "Repaired: {} polygon(s) (was {}), {} km² (was {} km², {} %)."),
        lambda m: m.groups(),
    ),
    (
        r"Simplified from (\S+) to (\S+) vertices; the outline moved at most (.+?) \(tolerance (.+?)\); "
        r"area (\S+) km² \((\S+) %\)\.",
        QT_TRANSLATE_NOOP(
            "Nadir",
            "Simplified from {} to {} vertices; the outline moved at most {} (tolerance {}); area {} km² ({} %).",
        ),
        lambda m: m.groups(),
    ),
    (
        r"(.+?) could not be reached \((.+?)\)\. Check the network connection and the proxy settings in "
        + re.escape(NETWORK)
        + r", then try again\.",
        QT_TRANSLATE_NOOP(
            "Nadir",
            "{} could not be reached ({}). Check the network connection and the proxy "
            "settings in Settings > Options > Network, then try again.",
        ),
        lambda m: (m[1], _part(m[2])),
    ),
    (
        r"The TLS certificate of (.+?) \(or of a proxy in between\) is not trusted, so Nadir did not connect\. "
        r"If your organisation uses its own certificate authority, add its CA certificate to QGIS's trusted "
        r"authorities in " + re.escape(CERTIFICATES) + r"\.",
        QT_TRANSLATE_NOOP(
            "Nadir",
            "The TLS certificate of {} (or of a proxy in between) is not trusted, so Nadir "
            "did not connect. If your organisation uses its own certificate authority, add its CA "
            "certificate to QGIS's trusted authorities in Settings > Options > Authentication > "
            "Certificate Manager.",
        ),
        lambda m: (m[1],),
    ),
    (
        r"(.+?) did not accept the credentials \(HTTP 401(.*?)\)\. Check the (.+?) credentials in "
        + re.escape(SETTINGS)
        + r"\.",
        QT_TRANSLATE_NOOP(
            "Nadir",
            "{} did not accept the credentials (HTTP 401{}). Check the {} credentials in Settings > Options > Nadir.",
        ),
        lambda m: m.groups(),
    ),
    (
        r"(.+?) refused access \(HTTP 403(.*?)\): the credentials are not allowed to do this\. Check the (.+?) "
        r"account and credentials in " + re.escape(SETTINGS) + r"\.",
        QT_TRANSLATE_NOOP(
            "Nadir",
            "{} refused access (HTTP 403{}): the credentials are not allowed to do this. "
            "Check the {} account and credentials in Settings > Options > Nadir.",
        ),
        lambda m: m.groups(),
    ),
    (
        r"(.+?) is limiting the request rate \((.+?)\)\. Wait (\d+) s and try again\.",
        QT_TRANSLATE_NOOP("Nadir", "{} is limiting the request rate ({}). Wait {} s and try again."),
        lambda m: m.groups(),
    ),
    (
        r"(.+?) is limiting the request rate \((.+?)\)\. Try again later\.",
        QT_TRANSLATE_NOOP("Nadir", "{} is limiting the request rate ({}). Try again later."),
        lambda m: m.groups(),
    ),
    (
        r"(.+?) is not available right now \((.+?)\)\. Try again later\.",
        QT_TRANSLATE_NOOP("Nadir", "{} is not available right now ({}). Try again later."),
        lambda m: m.groups(),
    ),
    (
        r"(.+?) returned (.+?) \((.+?)\)\. Try again later; if it persists, the service or a proxy in between "
        r"is misbehaving\.",
        QT_TRANSLATE_NOOP(
            "Nadir",
            "{} returned {} ({}). Try again later; if it persists, the service or a proxy in between is misbehaving.",
        ),
        lambda m: (m[1], _part(m[2]), m[3]),
    ),
)


def tr_core(message: str) -> str:
    """The translation of an English text from core or a provider, or the text itself."""
    if not message:
        return message
    marked = tr_marked(message)
    if marked != message:
        return marked
    phrase = _phrases().get(message)
    if phrase is not None:
        return phrase
    for pattern, template, parts in TEMPLATES:
        match = re.fullmatch(pattern, message, flags=re.DOTALL)
        if match:
            translated = tr_marked(template)
            # untranslated (English, or a language without this string): the original wording
            return message if translated == template else translated.format(*parts(match))
    return message


def user_message(error: BaseException, context: str = "", *, logged: bool = False) -> str:
    """The one text for an error shown to the user, translated (see ``core.errors.user_message``):
    a NadirError's own message, else one generic sentence with the traceback in the log."""
    from ..core.errors import user_message as core_user_message

    return core_user_message(error, context, translate=tr_core, logged=logged)
