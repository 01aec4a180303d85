"""Authenticators for :class:`providers.http.HttpSession` (one per provider style).

- :class:`ApiKeyHeader` - a fixed header (ClearSKY ``x-api-key``);
- :class:`BearerToken` - a fixed bearer token (Geopera API key as bearer);
- :class:`TokenGrant` - a form-encoded token request (UP42 password grant, OneAtlas
  ``grant_type=api_key``, Geopera client credentials). The token is cached with its
  expiry per (token URL, principal) across adapter instances, renewed ``expiry_margin``
  seconds before it expires and once after a 401, with the ``refresh_token`` when the
  server gave one (falling back to the full grant). Thread-safe.

Secrets appear in no ``repr``, log line or exception text; fresh tokens are announced
to :func:`core.credentials.secret_obtained` so the QGIS log redaction masks them.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Optional

from ...core import errors
from ...core.credentials import secret_obtained
from .session import SETTINGS_HINT, HttpSession

LOGGER = logging.getLogger(__name__)
#: What an access token may hold to be sent in an Authorization header: visible ASCII.
_TOKEN_TEXT = re.compile(r"[!-~]+")


class ApiKeyHeader:
    """Sends the key in one header on every request."""

    def __init__(self, name: str, key: str) -> None:
        self._name = name
        self._key = key

    def headers(self) -> dict[str, str]:
        return {self._name: self._key}

    def refresh(self) -> bool:
        return False  # a fixed key cannot be renewed: a 401 means it is wrong

    def secrets(self) -> tuple[str, ...]:
        return (self._key,)

    def __repr__(self) -> str:
        return f"ApiKeyHeader({self._name!r}, key=***)"


class BearerToken(ApiKeyHeader):
    """``Authorization: Bearer <token>`` with a fixed token."""

    def __init__(self, token: str) -> None:
        super().__init__("Authorization", f"Bearer {token}")
        self._token = token

    def secrets(self) -> tuple[str, ...]:
        return (self._token,)

    def __repr__(self) -> str:
        return "BearerToken(***)"


class Unconfigured:
    """Stands in for credentials that are not configured: any authenticated request
    raises :class:`core.errors.ProviderAuthError` with ``message`` (what to set, where),
    before anything is sent. Unauthenticated calls (``authenticate=False``) still work."""

    def __init__(self, provider: str, message: str) -> None:
        self._provider = provider
        self._message = message

    def headers(self) -> dict[str, str]:
        raise errors.ProviderAuthError(self._message, provider=self._provider)

    def refresh(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"Unconfigured({self._provider!r})"


@dataclass
class _Token:
    access: str
    expires_at: float  # clock() time
    refresh: str = ""
    refresh_expires_at: float = 0.0


_cache_lock = threading.Lock()
_cache: dict[tuple[str, str], _Token] = {}
_key_locks: dict[tuple[str, str], threading.Lock] = {}


def clear_token_cache() -> None:
    """Forget every cached token (tests; credentials changed)."""
    with _cache_lock:
        _cache.clear()


def _principal(form: Mapping[str, str]) -> str:
    """A stable, non-reversible name for the credentials in ``form`` (cache key only)."""
    text = "\x1f".join(f"{k}={form[k]}" for k in sorted(form))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TokenGrant:
    """OAuth-style token from a form POST, cached, renewed before expiry and after a 401."""

    def __init__(
        self,
        token_url: str,
        form: Mapping[str, str],
        session_for_token: HttpSession,
        expiry_margin: float = 30.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        endpoint: str = "token",
    ) -> None:
        self._url = token_url
        self._form = dict(form)
        self._session = session_for_token
        self._margin = expiry_margin
        self._clock = clock
        self._endpoint = endpoint
        self._key = (token_url, _principal(self._form))
        self._used = ""
        with _cache_lock:
            self._lock = _key_locks.setdefault(self._key, threading.Lock())

    def __repr__(self) -> str:
        return f"TokenGrant({self._url!r}, grant_type={self._form.get('grant_type', '')!r})"

    def secrets(self) -> tuple[str, ...]:
        values = [v for k, v in self._form.items() if k not in ("grant_type", "client_id", "scope", "username")]
        token = _cache.get(self._key)
        if token is not None:
            values += [token.access, token.refresh]
        return tuple(v for v in values if v)

    def headers(self) -> dict[str, str]:
        with self._lock:
            token = _cache.get(self._key)
            if token is None or self._clock() >= token.expires_at - self._margin:
                token = self._renew(token)
            self._used = token.access
        return {"Authorization": f"Bearer {token.access}"}

    def refresh(self) -> bool:
        with self._lock:
            token = _cache.get(self._key)
            if token is not None and token.access != self._used:
                return True  # another request already renewed it
            self._renew(token)
            return True

    def access_token(self) -> str:
        """The current token (fetching one if needed), e.g. to check credentials."""
        return self.headers()["Authorization"].split(" ", 1)[1]

    def _renew(self, previous: Optional[_Token]) -> _Token:
        now = self._clock()
        token: Optional[_Token] = None
        if previous is not None and previous.refresh and now < previous.refresh_expires_at - self._margin:
            form = {"grant_type": "refresh_token", "refresh_token": previous.refresh}
            if "client_id" in self._form:
                form["client_id"] = self._form["client_id"]
            try:
                token = self._grant(form)
            except errors.ProviderAuthError:
                LOGGER.debug("refresh token refused by %s; requesting a new token", self._session.provider)
        if token is None:
            token = self._grant(self._form)
        with _cache_lock:
            _cache[self._key] = token
        return token

    def _grant(self, form: Mapping[str, str]) -> _Token:
        title = self._session.title
        try:
            body = self._session.json("POST", self._url, endpoint=self._endpoint, data=form, authenticate=False)
        except (errors.ProviderAuthError, errors.ProviderRejected) as exc:
            raise errors.ProviderAuthError(
                f"{title} did not accept the credentials (token request refused, HTTP {exc.status}). Check the "
                f"{title} credentials in {SETTINGS_HINT}.",
                provider=exc.provider,
                endpoint=exc.endpoint,
                status=exc.status,
                details=exc.details,
            ) from None
        if not isinstance(body, Mapping) or not isinstance(body.get("access_token"), str) or not body["access_token"]:
            raise self._session.invalid(self._endpoint, 200, "a token response without an access token")
        if not _TOKEN_TEXT.fullmatch(body["access_token"]):  # it goes into an HTTP header as it is
            raise self._session.invalid(self._endpoint, 200, "an access token with characters a header cannot carry")
        now = self._clock()
        access = str(body["access_token"])
        refresh = body.get("refresh_token")
        secret_obtained(access)
        if isinstance(refresh, str):
            secret_obtained(refresh)
        expires_in = _seconds(body.get("expires_in"), 300.0)
        refresh_in = _seconds(body.get("refresh_expires_in"), expires_in)
        LOGGER.debug("%s token obtained, valid %.0f s", self._session.provider, expires_in)
        return _Token(
            access=access,
            expires_at=now + expires_in,
            refresh=refresh if isinstance(refresh, str) and refresh_in > 0 else "",
            refresh_expires_at=now + refresh_in,
        )


def _seconds(value: object, default: float) -> float:
    """A lifetime in seconds from a token answer; ``default`` unless a finite positive number."""
    if isinstance(value, bool):
        return default
    try:
        seconds = float(value) if value is not None else default  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return default
    return seconds if math.isfinite(seconds) and seconds > 0 else default
