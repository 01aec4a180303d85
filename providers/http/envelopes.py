"""Reading providers' error bodies: message and code, and 402 payment details.

Used by :class:`providers.http.HttpSession` as defaults; adapters pass their own
``error_parser`` for their envelope and may reuse :func:`safe_json`/:func:`find_key`.
"""

from __future__ import annotations

import json as jsonlib
import re
from collections.abc import Iterable, Mapping
from typing import Any, Union

import httpx

from ...core import errors

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


#: Deeper than any provider's document (GeoJSON multipolygons nest 6 levels in a feature).
MAX_DEPTH = 512


def _check_depth(data: Any) -> None:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise RecursionError(f"JSON nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, (dict, list)))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, (dict, list)))


def load_json(content: Union[bytes, str]) -> Any:
    """``json.loads``, refusing (ValueError) a text whose ``\\uD800``-style escapes leave a
    lone surrogate: such a string cannot be encoded again, so the first request or file
    that carried it (an id sent back, a name saved) would raise UnicodeEncodeError.
    Nesting deeper than :data:`MAX_DEPTH` raises RecursionError whatever the Python (3.11's
    parser stops near 1,000 levels, 3.13's goes on), which is left to the caller."""
    data = jsonlib.loads(content)
    raw = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH:  # only a body this large can nest this deep
        _check_depth(data)
    if _SURROGATE_ESCAPE.search(raw):  # rare: checked only when such an escape is there
        try:
            jsonlib.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("a string holds a lone UTF-16 surrogate (not valid Unicode)") from None
    return data


def safe_json(response: httpx.Response) -> Any:
    """The body as JSON, or None when it is not JSON (for error bodies)."""
    try:
        return load_json(response.content) if response.content else None
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deeply
        return None


def _lower_keys(value: Mapping[str, Any]) -> dict[str, Any]:
    return {str(key).lower(): item for key, item in value.items()}


def default_error_parser(response: httpx.Response) -> tuple[str, str]:
    """Message and code from common error shapes: RFC 7807 problems, ``{error: {...}}``,
    ``{message, code}``, OAuth ``{error, error_description}``; the status text otherwise."""
    body = safe_json(response)
    if isinstance(body, Mapping):
        fields = _lower_keys(body)
        error = fields.get("error")
        if isinstance(error, Mapping):
            inner = _lower_keys(error)
            message = inner.get("message") or inner.get("detail") or ""
            return str(message), str(inner.get("code") or "")
        message = (
            fields.get("detail")
            or fields.get("message")
            or fields.get("error_description")
            or fields.get("title")
            or (error if isinstance(error, str) else "")
        )
        code = (
            fields.get("code")
            or fields.get("errorcode")
            or fields.get("type")
            or (error if isinstance(error, str) else "")
        )
        return str(message or ""), str(code or "")
    if isinstance(body, str):
        return body, ""
    return response.reason_phrase or "", ""


def find_key(value: Any, names: Iterable[str], depth: int = 0) -> Any:
    """First value under any of ``names`` (case-insensitive) in nested mappings."""
    if depth > 4 or not isinstance(value, Mapping):
        return None
    wanted = {n.lower() for n in names}
    for key, item in value.items():
        if str(key).lower() in wanted and item not in (None, ""):
            return item
    for item in value.values():
        found = find_key(item, wanted, depth + 1)
        if found is not None:
            return found
    return None


def default_payment_parser(response: httpx.Response, message: str, code: str) -> errors.PaymentRequired:
    """402 details from common field names; the 3-D Secure secret goes to the error only."""
    body = safe_json(response)
    reason = find_key(body, ("reason", "decline_code", "declineCode", "code")) or code
    billing = find_key(body, ("billing_mode", "billingMode"))
    secret = find_key(body, ("client_secret", "clientSecret"))
    return errors.PaymentRequired(
        message,
        reason=str(reason or ""),
        billing_mode=str(billing or ""),
        client_secret=str(secret) if secret else None,
        status=402,
    )
